package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The limits that stop a search.
 *
 * @param maxTrials             maximum number of candidates evaluated, sensitivity probes included; at least 1
 * @param deadlineMs            maximum wall time of the search in milliseconds, or null for none
 * @param stopAtFirstAcceptable stop as soon as one candidate meets the quality goal
 */
@JsonPropertyOrder({"maxTrials", "deadlineMs", "stopAtFirstAcceptable"})
public record Budget(int maxTrials, Long deadlineMs, boolean stopAtFirstAcceptable) {

    public Budget {
        if (maxTrials < 1) {
            throw new IllegalArgumentException("maxTrials is " + maxTrials + "; it must be at least 1");
        }
        if (deadlineMs != null && deadlineMs <= 0) {
            throw new IllegalArgumentException("deadlineMs is " + deadlineMs + "; it must be positive, or null for no deadline");
        }
    }
}
