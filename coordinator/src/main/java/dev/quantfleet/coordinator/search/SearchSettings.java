package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.messages.TaskSettings;

/**
 * The settings the coordinator runs rounds with.
 *
 * @param roundDeadlineMs time a round's tasks have per attempt, in milliseconds, before the
 *                        aggregator re-sends them
 * @param maxAttempts     attempts per task before the aggregator counts it as timed out
 * @param taskSettings    threads and latency measurement of every task
 */
public record SearchSettings(long roundDeadlineMs, int maxAttempts, TaskSettings taskSettings) {

    public SearchSettings {
        if (roundDeadlineMs < 1) {
            throw new IllegalArgumentException("roundDeadlineMs is " + roundDeadlineMs + "; it must be 1 or more");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts is " + maxAttempts + "; it must be 1 or more");
        }
    }
}
