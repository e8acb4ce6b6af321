package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When a task was queued, started and finished, in epoch milliseconds of the worker's clock
 * (the queue time is the coordinator's). Timings are never part of a hash or a task id.
 *
 * @param queuedAtMs   when the coordinator sent the task
 * @param startedAtMs  when the worker started it; not before {@code queuedAtMs} on a synchronised clock
 * @param finishedAtMs when the worker finished it; not before {@code startedAtMs}
 */
public record TaskTimings(@JsonProperty(required = true) long queuedAtMs,
                          @JsonProperty(required = true) long startedAtMs,
                          @JsonProperty(required = true) long finishedAtMs) {

    public TaskTimings {
        if (finishedAtMs < startedAtMs) {
            throw new IllegalArgumentException("finishedAtMs " + finishedAtMs + " is before startedAtMs " + startedAtMs);
        }
    }

    /** Returns the time the worker spent on the task, in milliseconds. */
    public long runMs() {
        return finishedAtMs - startedAtMs;
    }
}
