package dev.quantfleet.coordinator.mapping;

import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchTask;

/**
 * Turns wire {@link TaskResult}s into engine {@link CandidateResult}s. The engine result needs the
 * {@link SearchTask} because the wire result lacks the task's config, nodes and sensitivity label.
 */
public final class ResultMapping {

    /** Reason recorded for a task that the aggregator counted as TIMED_OUT. */
    public static final String TIMED_OUT_REASON = "timed out: no worker returned a result before the round's"
            + " deadline on any attempt; allow more time (the request's deadline, or the coordinator's"
            + " quantfleet.search.round-deadline-ms) or add workers";

    private ResultMapping() {
    }

    /**
     * Returns the engine result of {@code task} with the evaluation of {@code result}.
     *
     * @throws IllegalArgumentException if {@code result} is of another task
     */
    public static CandidateResult toCandidateResult(SearchTask task, TaskResult result) {
        if (!task.taskId().equals(result.taskId())) {
            throw new IllegalArgumentException("Result of task '" + result.taskId() + "' does not belong to task '"
                    + task.taskId() + "'; pass the task the result was produced for");
        }
        return CandidateResult.of(task, result.evaluation());
    }

    /** Returns the engine result of {@code task}, which no worker finished: FAILED, timed out. */
    public static CandidateResult timedOut(SearchTask task) {
        return CandidateResult.of(task, Evaluation.failed(TIMED_OUT_REASON));
    }
}
