package dev.quantfleet.worker.kafka;

import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;

/** Receives what the {@link TaskLoop} did, e.g. to count it in metrics. Methods run on the poll thread. */
public interface TaskEvents {

    /** Records that a result was published and its offset committed. */
    default void resultPublished(TaskResult result) {
    }

    /** Records that a payload that does not parse was sent to the dead letter topic. */
    default void poisonPayload(String reason) {
    }

    /** Records that a task whose last attempt failed was sent to the dead letter topic. */
    default void deadLettered(Task task) {
    }

    /** Records that a task whose deadline had passed was skipped without a result. */
    default void expired(Task task) {
    }

    /** No-op events. */
    static TaskEvents none() {
        return new TaskEvents() { };
    }
}
