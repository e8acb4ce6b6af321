package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks of one round, sent by the coordinator on {@code quantfleet.round-plans} with the
 * request id as key, before the tasks themselves go to their pools' topics. The aggregator keeps
 * it to know when the round is complete, and re-sends a task that has no result when its
 * deadline passes, until {@code maxAttempts} attempts are spent.
 *
 * @param schemaVersion {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param requestId     the request
 * @param round         the round, 0 or more
 * @param tasks         every task of the round at attempt 1, at least one; each of this request and round
 * @param deadlineMs    epoch milliseconds after which a task without a result is re-sent or, at
 *                      its last attempt, counted as timed out
 * @param maxAttempts   attempts per task, 1 or more
 */
public record RoundOpened(@JsonProperty(required = true) int schemaVersion,
                          @JsonProperty(required = true) String requestId,
                          @JsonProperty(required = true) int round,
                          @JsonProperty(required = true) List<Task> tasks,
                          @JsonProperty(required = true) long deadlineMs,
                          @JsonProperty(required = true) int maxAttempts) implements WireMessage {

    public RoundOpened {
        WireChecks.checkSchemaVersion(schemaVersion, "RoundOpened");
        WireIds.checkRequestId(requestId);
        WireChecks.atLeast(round, 0, "round");
        WireChecks.required(tasks, "tasks");
        WireChecks.atLeast(maxAttempts, 1, "maxAttempts");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks is empty; a round has at least one task");
        }
        Set<String> taskIds = new HashSet<>();
        for (Task task : tasks) {
            if (!task.requestId().equals(requestId) || task.round() != round) {
                throw new IllegalArgumentException("Task '" + task.taskId() + "' is not of round " + round
                        + " of request " + requestId);
            }
            if (!taskIds.add(task.taskId())) {
                throw new IllegalArgumentException("Task '" + task.taskId() + "' is listed twice");
            }
        }
        tasks = List.copyOf(tasks);
    }

    /** Returns a round plan of the current schema version. */
    public static RoundOpened of(String requestId, int round, List<Task> tasks, long deadlineMs, int maxAttempts) {
        return new RoundOpened(WireMessage.CURRENT_SCHEMA_VERSION, requestId, round, tasks, deadlineMs, maxAttempts);
    }
}
