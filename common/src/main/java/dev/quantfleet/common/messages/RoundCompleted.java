package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The close of one round of a request, sent on {@code quantfleet.rounds} with the request id as
 * key. A round closes when every task has a final status, or when the deadline passes.
 *
 * @param schemaVersion   {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param requestId       the request
 * @param round           the round that closed, 0 or more
 * @param taskStatuses    per task id, its final status; at least one task, every id of this
 *                        request and round
 * @param counts          per status, how many tasks ended with it; statuses that no task has
 *                        are left out. Derived from {@code taskStatuses} and checked against it
 * @param deadlineReached whether the deadline closed the round before every task finished
 */
public record RoundCompleted(@JsonProperty(required = true) int schemaVersion,
                             @JsonProperty(required = true) String requestId,
                             @JsonProperty(required = true) int round,
                             @JsonProperty(required = true) SortedMap<String, RoundTaskStatus> taskStatuses,
                             SortedMap<RoundTaskStatus, Integer> counts,
                             boolean deadlineReached) implements WireMessage {

    public RoundCompleted {
        WireChecks.checkSchemaVersion(schemaVersion, "RoundCompleted");
        WireIds.checkRequestId(requestId);
        WireChecks.atLeast(round, 0, "round");
        WireChecks.required(taskStatuses, "taskStatuses");
        if (taskStatuses.isEmpty()) {
            throw new IllegalArgumentException("taskStatuses is empty; a round has at least one task");
        }
        if (taskStatuses.containsValue(null)) {
            throw new IllegalArgumentException("taskStatuses has a task without a status; give each task its status");
        }
        taskStatuses = new TreeMap<>(taskStatuses);
        String prefix = String.format("%s/r%04d/", requestId, round);
        taskStatuses.keySet().stream().filter(taskId -> !taskId.startsWith(prefix)).findFirst().ifPresent(taskId -> {
            throw new IllegalArgumentException("taskStatuses has task '" + taskId + "', which is not of round "
                    + round + " of request " + requestId + "; its id must start with '" + prefix + "'");
        });
        SortedMap<RoundTaskStatus, Integer> tally = countStatuses(taskStatuses);
        if (counts != null && !counts.equals(tally)) {
            throw new IllegalArgumentException("counts is " + counts + ", but taskStatuses gives " + tally);
        }
        counts = tally;
        if (taskStatuses.containsValue(RoundTaskStatus.TIMED_OUT) && !deadlineReached) {
            throw new IllegalArgumentException("A task is TIMED_OUT, but deadlineReached is false;"
                    + " only the deadline leaves a task without a result");
        }
    }

    /** Returns a round of the current schema version, with the counts computed. */
    public static RoundCompleted of(String requestId, int round, Map<String, RoundTaskStatus> taskStatuses,
                                    boolean deadlineReached) {
        return new RoundCompleted(WireMessage.CURRENT_SCHEMA_VERSION, requestId, round, new TreeMap<>(taskStatuses),
                null, deadlineReached);
    }

    private static SortedMap<RoundTaskStatus, Integer> countStatuses(Map<String, RoundTaskStatus> taskStatuses) {
        Map<RoundTaskStatus, Integer> tally = new EnumMap<>(RoundTaskStatus.class);
        taskStatuses.values().forEach(status -> tally.merge(status, 1, Integer::sum));
        return new TreeMap<>(tally);
    }
}
