package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sensitivity of nodes (or blocks) from SENSITIVITY results: how much of the goal's metric
 * quantizing the node costs, in the metric's units, larger meaning more sensitive.
 * <ul>
 *   <li>{@link SensitivityMode#ONLY_QUANTIZED}: {@code drop(float model, probe)}.</li>
 *   <li>{@link SensitivityMode#ONLY_FLOAT}: {@code drop(float model, base) - drop(float model, probe)},
 *       the part of the base candidate's drop that keeping the node in float recovers.</li>
 * </ul>
 * A probe that is not OK has no value here; the {@code auto} strategy treats it as most sensitive.
 */
final class Sensitivities {

    private Sensitivities() {
    }

    /** Returns the sensitivity per label, for the probes of {@code baseCandidateId} or all probes when null. */
    static SortedMap<String, Double> of(List<CandidateResult> results, SearchGoal goal, Evaluation baseline,
                                        String baseCandidateId) {
        Map<String, Evaluation> evaluations = new HashMap<>();
        for (CandidateResult result : results) {
            if (result.kind() == TaskKind.EVALUATE) {
                evaluations.put(result.candidateId(), result.evaluation());
            }
        }
        SortedMap<String, Double> sensitivity = new TreeMap<>();
        for (CandidateResult probe : results) {
            if (probe.kind() != TaskKind.SENSITIVITY || !hasMetric(probe.evaluation(), goal)
                    || (baseCandidateId != null && !baseCandidateId.equals(probe.baseCandidateId()))) {
                continue;
            }
            double reference = baseline.metric(goal.metric());
            double probeDrop = goal.direction().drop(reference, probe.evaluation().metric(goal.metric()));
            if (probe.sensitivityMode() == SensitivityMode.ONLY_QUANTIZED) {
                sensitivity.put(probe.label(), probeDrop);
                continue;
            }
            Evaluation base = evaluations.get(probe.baseCandidateId());
            if (base != null && hasMetric(base, goal)) {
                double baseDrop = goal.direction().drop(reference, base.metric(goal.metric()));
                sensitivity.put(probe.label(), baseDrop - probeDrop);
            }
        }
        return sensitivity;
    }

    private static boolean hasMetric(Evaluation evaluation, SearchGoal goal) {
        return evaluation.status() == EvaluationStatus.OK && evaluation.metrics().containsKey(goal.metric());
    }
}
