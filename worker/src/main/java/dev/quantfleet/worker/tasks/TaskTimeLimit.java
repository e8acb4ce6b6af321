package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.messages.Task;

import java.time.Duration;
import java.time.Instant;

/**
 * When a running task must stop: at the worker's task timeout after its start, or at the task's
 * own deadline when that comes first.
 *
 * @param endAtMs    epoch milliseconds at which the task is stopped
 * @param byDeadline whether the task's deadline sets the end, rather than the task timeout
 * @param timeout    the worker's task timeout
 * @param deadlineMs the task's deadline in epoch milliseconds; null for none
 */
record TaskTimeLimit(long endAtMs, boolean byDeadline, Duration timeout, Long deadlineMs) {

    /** Name of the worker setting that sets the task timeout. */
    static final String TIMEOUT_SETTING = "quantfleet.worker.task-timeout";

    /** Returns the limit of {@code task} started at {@code startedAtMs} on a worker with {@code timeout}. */
    static TaskTimeLimit of(Task task, long startedAtMs, Duration timeout) {
        long timeoutEndMs = saturatedAdd(startedAtMs, timeout.toMillis());
        Long deadlineMs = task.deadlineMs();
        if (deadlineMs != null && deadlineMs < timeoutEndMs) {
            return new TaskTimeLimit(deadlineMs, true, timeout, deadlineMs);
        }
        return new TaskTimeLimit(timeoutEndMs, false, timeout, deadlineMs);
    }

    /** Milliseconds left at {@code nowMs}; 0 or less once the limit passed. */
    long remainingMs(long nowMs) {
        return endAtMs - nowMs;
    }

    /** Returns the reason of the FAILED result of a task stopped by this limit after {@code ranMs}. */
    String exceededReason(long ranMs) {
        if (byDeadline) {
            return "Task ran past its deadline " + Instant.ofEpochMilli(deadlineMs) + " (deadlineMs " + deadlineMs
                    + " in the task) and was stopped after " + ranMs + " ms; the deadline came before the worker's "
                    + TIMEOUT_SETTING + " of " + timeout;
        }
        return "Task ran past the worker's task timeout " + TIMEOUT_SETTING + "=" + timeout + " and was stopped after "
                + ranMs + " ms; raise " + TIMEOUT_SETTING + " if tasks of this size are expected";
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
