package dev.quantfleet.engine.report;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.ModelFacts;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.SearchRequest;
import dev.quantfleet.engine.search.TaskKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the report of a finished search from its request and outcome. The report lists every
 * EVALUATE candidate and every sensitivity probe whose configuration was not also evaluated as a
 * candidate (a report lists each candidate id once), in task id order.
 */
public final class SearchReports {

    private SearchReports() {
    }

    /**
     * @param threads candidates evaluated at the same time
     * @param opTypes op type by node name, for the sensitivity list; nodes missing from it get none
     */
    public static SearchReport from(SearchRequest request, SearchOutcome outcome, Provenance provenance, int threads,
                                    Map<String, String> opTypes) {
        Goal goal = goalOf(request);
        List<CandidateEntry> candidates = candidatesOf(outcome);
        List<CandidateEntry> evaluated = candidates.stream().filter(entry -> entry.kind() == CandidateKind.EVALUATE)
                .toList();
        ParetoFront front = ParetoFront.compute(goal, CostAxis.forObjective(goal.objective(), evaluated), evaluated);
        return new SearchReport(goal, outcome.acceptable(), winnerOf(outcome), Baseline.from(outcome.baseline()),
                candidates, sensitivityOf(request, outcome, opTypes), front, summaryOf(outcome, threads), provenance);
    }

    private static Goal goalOf(SearchRequest request) {
        SearchGoal goal = request.goal();
        SearchBudget budget = request.budget();
        Long deadlineMs = budget.deadline() == null ? null : budget.deadline().toMillis();
        // The search states a relative drop in percent, the report as a fraction.
        double maxDrop = goal.relativeDrop() ? goal.maxDrop() / 100 : goal.maxDrop();
        return new Goal(goal.metric(), goal.direction(), maxDrop,
                goal.relativeDrop() ? DropMode.RELATIVE : DropMode.ABSOLUTE, goal.objective(),
                new Budget(budget.maxTrials(), deadlineMs, budget.stopAtFirstAcceptable()));
    }

    private static List<CandidateEntry> candidatesOf(SearchOutcome outcome) {
        Set<String> evaluatedIds = new HashSet<>();
        outcome.results().stream().filter(result -> result.kind() == TaskKind.EVALUATE)
                .forEach(result -> evaluatedIds.add(result.candidateId()));
        List<CandidateEntry> entries = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (CandidateResult result : outcome.results()) {
            CandidateKind kind = switch (result.kind()) {
                case EVALUATE -> CandidateKind.EVALUATE;
                case SENSITIVITY -> CandidateKind.SENSITIVITY;
                case BASELINE, CALIBRATE -> null;
            };
            boolean shadowed = kind == CandidateKind.SENSITIVITY && evaluatedIds.contains(result.candidateId());
            if (kind == null || shadowed || !listed.add(result.candidateId())) {
                continue;
            }
            entries.add(CandidateEntry.from(result.candidateId(), result.round(), kind, result.config(),
                    result.evaluation(), result.cached()));
        }
        return entries;
    }

    private static Winner winnerOf(SearchOutcome outcome) {
        CandidateResult winner = outcome.winner();
        if (winner == null) {
            return null;
        }
        Evaluation evaluation = winner.evaluation();
        return new Winner(winner.candidateId(), winner.config(), evaluation.metrics(), evaluation.cost(),
                higherPrecisionNodes(winner.config(), outcome.sensitivity(), probedUnits(outcome)));
    }

    /** Returns the label of the sensitivity probe that covered each node, for probes of several nodes. */
    private static Map<String, String> probedUnits(SearchOutcome outcome) {
        Map<String, String> units = new HashMap<>();
        for (CandidateResult result : outcome.results()) {
            if (result.kind() == TaskKind.SENSITIVITY && result.nodes().size() > 1) {
                result.nodes().forEach(node -> units.putIfAbsent(node, result.label()));
            }
        }
        return units;
    }

    /** Lists the nodes the winner keeps in float or raises to 16-bit activations, with the reason. */
    private static List<HigherPrecisionNode> higherPrecisionNodes(QuantConfig config, Map<String, Double> sensitivity,
                                                                  Map<String, String> probedUnits) {
        List<HigherPrecisionNode> nodes = new ArrayList<>();
        for (Map.Entry<String, NodeOverride> entry : config.nodeOverrides().entrySet()) {
            NodeOverride override = entry.getValue();
            HigherPrecision precision = override.keepFloat() ? HigherPrecision.FLOAT
                    : override.activationType() != null && override.activationType().bits() > 8 ? HigherPrecision.INT16
                    : null;
            if (precision != null) {
                nodes.add(new HigherPrecisionNode(entry.getKey(), precision,
                        reason(entry.getKey(), sensitivity, probedUnits)));
            }
        }
        for (String pattern : config.nodesToExclude()) {
            nodes.add(new HigherPrecisionNode(pattern, HigherPrecision.FLOAT, "excluded by the configuration"));
        }
        return nodes;
    }

    private static String reason(String node, Map<String, Double> sensitivity, Map<String, String> probedUnits) {
        Double measured = sensitivity.get(node);
        if (measured != null) {
            return String.format(Locale.ROOT, "sensitivity %.4g of the goal metric, measured on this node", measured);
        }
        String unit = probedUnits.get(node);
        if (unit != null && sensitivity.containsKey(unit)) {
            return String.format(Locale.ROOT, "sensitivity %.4g of the goal metric, measured on the nodes probed "
                    + "together as %s", sensitivity.get(unit), unit);
        }
        String block = ModelFacts.blockOf(node);
        Double blockMeasured = sensitivity.get(block);
        if (blockMeasured != null) {
            return String.format(Locale.ROOT, "sensitivity %.4g of the goal metric, measured on its block %s",
                    blockMeasured, block);
        }
        return "kept by the configuration; no sensitivity was measured for this node";
    }

    private static List<NodeSensitivity> sensitivityOf(SearchRequest request, SearchOutcome outcome,
                                                       Map<String, String> opTypes) {
        String metric = request.goal().metric();
        List<NodeSensitivity> sensitivity = new ArrayList<>();
        for (CandidateResult result : outcome.results()) {
            if (result.kind() != TaskKind.SENSITIVITY) {
                continue;
            }
            Evaluation evaluation = result.evaluation();
            double value = evaluation.status() == EvaluationStatus.OK && evaluation.metrics().containsKey(metric)
                    ? evaluation.metric(metric) : Double.NaN;
            double drop = outcome.sensitivity().getOrDefault(result.label(), Double.NaN);
            sensitivity.add(new NodeSensitivity(result.label(), opTypes.get(result.label()), result.sensitivityMode(),
                    value, drop, result.cached()));
        }
        return sensitivity;
    }

    private static SearchSummary summaryOf(SearchOutcome outcome, int threads) {
        int rounds = outcome.results().stream().mapToInt(CandidateResult::round).max().orElse(0) + 1;
        return new SearchSummary(outcome.strategy(), outcome.seed(), rounds, outcome.trials(),
                outcome.stopReason().name(), outcome.wallTimeMs(), threads);
    }
}
