package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.RoundTaskStatus;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The aggregator's state of one request: the plan of its current round, the attempt each task is
 * at, the current deadline and the final status of each task that has one.
 *
 * <p>Invariants: every key of {@code attempts} and {@code statuses} is a task id of the plan. An
 * attempt starts at the plan task's attempt and {@link #expire} raises it only while it is below
 * {@code plan.maxAttempts()}. Once {@code closed} is true, no method changes the state again.
 */
final class RoundState {

    private final RoundOpened plan;
    private final long retryTimeoutMs;
    private long deadlineMs;
    private final SortedMap<String, Integer> attempts;
    private final SortedMap<String, RoundTaskStatus> statuses;
    private boolean closed;
    private long closedAtMs;
    private boolean deadlineReached;

    /** @param closedAtMs wall-clock time the round closed, epoch milliseconds; 0 while it is open */
    RoundState(RoundOpened plan, long retryTimeoutMs, long deadlineMs, Map<String, Integer> attempts,
               Map<String, RoundTaskStatus> statuses, boolean closed, long closedAtMs, boolean deadlineReached) {
        this.plan = plan;
        this.retryTimeoutMs = retryTimeoutMs;
        this.deadlineMs = deadlineMs;
        this.attempts = new TreeMap<>(attempts);
        this.statuses = new TreeMap<>(statuses);
        this.closed = closed;
        this.closedAtMs = closedAtMs;
        this.deadlineReached = deadlineReached;
    }

    /** Returns the state of a round that just opened: every task at its plan's attempt, none final. */
    static RoundState open(RoundOpened plan, long retryTimeoutMs) {
        Map<String, Integer> attempts = new TreeMap<>();
        plan.tasks().forEach(task -> attempts.put(task.taskId(), task.attempt()));
        return new RoundState(plan, retryTimeoutMs, plan.deadlineMs(), attempts, Map.of(), false, 0, false);
    }

    /**
     * Records {@code result} when it is the first final result of a task of this open round, and
     * returns why it was ignored otherwise. A result of an earlier attempt counts as final too.
     */
    ResultVerdict recordResult(TaskResult result) {
        if (result.round() != plan.round()) {
            return ResultVerdict.OTHER_ROUND;
        }
        if (!attempts.containsKey(result.taskId())) {
            return ResultVerdict.UNKNOWN_TASK;
        }
        if (closed) {
            return ResultVerdict.ROUND_CLOSED;
        }
        if (statuses.containsKey(result.taskId())) {
            return ResultVerdict.DUPLICATE;
        }
        statuses.put(result.taskId(), RoundTaskStatus.valueOf(result.status().name()));
        return ResultVerdict.ACCEPTED;
    }

    /** Returns whether the round is open and its deadline is at or before {@code nowMs}. */
    boolean isOverdue(long nowMs) {
        return !closed && nowMs >= deadlineMs;
    }

    /**
     * Handles a passed deadline at {@code nowMs}: each task without a final status either moves
     * to its next attempt, when attempts are left, or becomes TIMED_OUT. When a task moves on,
     * the deadline becomes {@code nowMs + retryTimeoutMs}, and each returned task carries it.
     *
     * @return the tasks to send again, at their next attempt
     */
    List<Task> expire(long nowMs) {
        List<Task> retries = new ArrayList<>();
        long nextDeadlineMs = nowMs + retryTimeoutMs;
        for (Task task : plan.tasks()) {
            if (statuses.containsKey(task.taskId())) {
                continue;
            }
            int attempt = attempts.get(task.taskId());
            if (attempt < plan.maxAttempts()) {
                attempts.put(task.taskId(), attempt + 1);
                retries.add(retry(task, attempt + 1, nextDeadlineMs));
            } else {
                statuses.put(task.taskId(), RoundTaskStatus.TIMED_OUT);
                deadlineReached = true;
            }
        }
        if (!retries.isEmpty()) {
            deadlineMs = nextDeadlineMs;
        }
        return retries;
    }

    /** Returns whether the round is open and every task has a final status. */
    boolean isComplete() {
        return !closed && statuses.size() == plan.tasks().size();
    }

    /** Returns whether the round closed at least {@code retentionMs} before {@code nowMs}. */
    boolean isExpired(long nowMs, long retentionMs) {
        return closed && nowMs - closedAtMs >= retentionMs;
    }

    /**
     * Closes the round at wall-clock time {@code nowMs} and returns its {@code RoundCompleted}; call
     * only when {@link #isComplete()}.
     */
    RoundCompleted close(long nowMs) {
        if (!isComplete()) {
            throw new IllegalStateException("Round " + plan.round() + " of request " + plan.requestId()
                    + " cannot close: " + (closed ? "it is already closed" : "tasks without a final status are "
                    + pendingTaskIds()));
        }
        closed = true;
        closedAtMs = nowMs;
        return RoundCompleted.of(plan.requestId(), plan.round(), statuses, deadlineReached);
    }

    /** Returns the ids of the tasks without a final status, sorted. */
    List<String> pendingTaskIds() {
        return attempts.keySet().stream().filter(taskId -> !statuses.containsKey(taskId)).toList();
    }

    /** Returns the number of tasks that became TIMED_OUT. */
    int timedOutCount() {
        return (int) statuses.values().stream().filter(status -> status == RoundTaskStatus.TIMED_OUT).count();
    }

    RoundOpened plan() {
        return plan;
    }

    int round() {
        return plan.round();
    }

    long retryTimeoutMs() {
        return retryTimeoutMs;
    }

    long deadlineMs() {
        return deadlineMs;
    }

    SortedMap<String, Integer> attempts() {
        return new TreeMap<>(attempts);
    }

    SortedMap<String, RoundTaskStatus> statuses() {
        return new TreeMap<>(statuses);
    }

    boolean closed() {
        return closed;
    }

    long closedAtMs() {
        return closedAtMs;
    }

    boolean deadlineReached() {
        return deadlineReached;
    }

    /**
     * Returns {@code task} at {@code attempt} with the deadline moved to {@code deadlineMs}, because a
     * worker does not start a task after the deadline it carries. A task without a deadline keeps none.
     */
    private static Task retry(Task task, int attempt, long deadlineMs) {
        Long taskDeadlineMs = task.deadlineMs() == null ? null : deadlineMs;
        return new Task(task.schemaVersion(), task.taskId(), task.requestId(), task.round(), task.kind(),
                task.candidateId(), task.config(), task.seed(), task.pool(), task.artifacts(), taskDeadlineMs, attempt,
                task.nodes(), task.sensitivityMode(), task.baseCandidateId(), task.settings());
    }
}
