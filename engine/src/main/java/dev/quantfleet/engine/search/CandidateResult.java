package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;

/**
 * A finished task with its evaluation.
 *
 * @param taskId          see {@link SearchIds#taskId}
 * @param round           the round it ran in
 * @param kind            what the task did
 * @param candidateId     id of {@code config}, or {@link SearchIds#FLOAT_MODEL_ID}
 * @param config          the configuration; null for BASELINE and CALIBRATE
 * @param seed            the task's seed
 * @param evaluation      the result
 * @param label           for SENSITIVITY, the node or block name; null otherwise
 * @param nodes           for SENSITIVITY, the probed nodes; empty otherwise
 * @param sensitivityMode for SENSITIVITY, how the probe isolated the nodes; null otherwise
 * @param baseCandidateId for SENSITIVITY, the candidate the probe derives from; null otherwise
 * @param cached          whether the evaluation came from the {@link SensitivityCache} instead of a trial
 */
public record CandidateResult(String taskId, int round, TaskKind kind, String candidateId, QuantConfig config,
                              long seed, Evaluation evaluation, String label, List<String> nodes,
                              SensitivityMode sensitivityMode, String baseCandidateId, boolean cached) {

    public CandidateResult {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Returns the result of {@code task}, which ran and produced {@code evaluation}. */
    public static CandidateResult of(SearchTask task, Evaluation evaluation) {
        return of(task, evaluation, false);
    }

    static CandidateResult of(SearchTask task, Evaluation evaluation, boolean cached) {
        return new CandidateResult(task.taskId(), task.round(), task.kind(), task.candidateId(), task.config(),
                task.seed(), evaluation, task.label(), task.nodes(), task.sensitivityMode(), task.baseCandidateId(),
                cached);
    }
}
