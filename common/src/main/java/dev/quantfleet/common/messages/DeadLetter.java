package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A task that failed on every attempt, sent on {@code quantfleet.tasks.dlq} with the task id as
 * key, so that an operator can inspect and resend it.
 *
 * @param schemaVersion {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param task          the task as last sent
 * @param reason        why the last attempt failed, with the error message
 * @param attempts      attempts made, 1 or more
 * @param workerId      the worker of the last attempt; null when no worker took the task
 * @param failedAtMs    when the last attempt failed, in epoch milliseconds; null if unknown
 */
public record DeadLetter(@JsonProperty(required = true) int schemaVersion,
                         @JsonProperty(required = true) Task task,
                         @JsonProperty(required = true) String reason,
                         @JsonProperty(required = true) int attempts,
                         String workerId,
                         Long failedAtMs) implements WireMessage {

    public DeadLetter {
        WireChecks.checkSchemaVersion(schemaVersion, "DeadLetter");
        WireChecks.required(task, "task");
        WireChecks.requiredText(reason, "reason");
        WireChecks.atLeast(attempts, 1, "attempts");
    }

    /** Returns the Kafka key of this record, the task id. */
    public String key() {
        return task.taskId();
    }
}
