package dev.quantfleet.benchmarks;

import dev.quantfleet.common.messages.ProducedArtifacts;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.TaskTimings;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.BiFunction;

/**
 * A task processor for the worker's {@code TaskLoop} that sleeps for a fixed time instead of
 * evaluating, then returns an OK result, so that a benchmark measures the fleet's dispatch and
 * not the processors. Each run is added to a shared queue of {@link Execution}s.
 *
 * <p>The result carries a cost of {@value #MODEL_BYTES} byte, because the wire format needs a
 * cost on every OK result, and no metrics: the aggregator reads only the status.
 */
final class SleepingTaskProcessor implements BiFunction<Task, Long, TaskResult> {

    private static final long MODEL_BYTES = 1;

    private final String workerId;
    private final long sleepMs;
    private final Queue<Execution> executions;

    /** @param executions thread-safe queue that every processor of a benchmark adds to */
    SleepingTaskProcessor(String workerId, long sleepMs, Queue<Execution> executions) {
        this.workerId = workerId;
        this.sleepMs = sleepMs;
        this.executions = executions;
    }

    /** Sleeps, records the run and returns OK; returns FAILED when interrupted, as TaskLoop requires no exception. */
    @Override
    public TaskResult apply(Task task, Long queuedAtMs) {
        long startedAtMs = System.currentTimeMillis();
        Evaluation evaluation = Evaluation.ok(Map.of(), new Cost(MODEL_BYTES, 0.0, null), List.of());
        try {
            Thread.sleep(sleepMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            evaluation = Evaluation.failed("Interrupted after " + (System.currentTimeMillis() - startedAtMs)
                    + " of " + sleepMs + " ms of sleep");
        }
        long finishedAtMs = System.currentTimeMillis();
        executions.add(new Execution(task.requestId(), task.taskId(), workerId, startedAtMs, finishedAtMs));
        return TaskResult.of(task, evaluation, ProducedArtifacts.none(),
                new TaskTimings(queuedAtMs, startedAtMs, finishedAtMs), workerId, null);
    }

    /**
     * One task run, in epoch milliseconds.
     *
     * @param requestId  the task's request
     * @param taskId     the task
     * @param workerId   the worker that ran it
     * @param startedMs  when the sleep started
     * @param finishedMs when it ended
     */
    record Execution(String requestId, String taskId, String workerId, long startedMs, long finishedMs) {
    }
}
