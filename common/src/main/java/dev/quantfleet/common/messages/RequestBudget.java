package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.engine.search.SearchBudget;

import java.time.Duration;

/**
 * The wire form of a {@link SearchBudget}, with the deadline in milliseconds.
 *
 * @param maxTrials             the most EVALUATE and SENSITIVITY tasks run; 0 or more
 * @param deadlineMs            wall time from the start of the search, in milliseconds, after
 *                              which no task starts; null for none
 * @param stopAtFirstAcceptable stop after the first round that produced an acceptable candidate
 */
public record RequestBudget(@JsonProperty(required = true) int maxTrials,
                            Long deadlineMs,
                            boolean stopAtFirstAcceptable) {

    public RequestBudget {
        WireChecks.atLeast(maxTrials, 0, "maxTrials");
        if (deadlineMs != null) {
            WireChecks.atLeast(deadlineMs, 0, "deadlineMs");
        }
    }

    public SearchBudget toSearchBudget() {
        return new SearchBudget(maxTrials, deadlineMs == null ? null : Duration.ofMillis(deadlineMs),
                stopAtFirstAcceptable);
    }

    /** Returns the wire form of {@code budget}; a deadline is truncated to whole milliseconds. */
    public static RequestBudget of(SearchBudget budget) {
        Long deadlineMs = budget.deadline() == null ? null : budget.deadline().toMillis();
        return new RequestBudget(budget.maxTrials(), deadlineMs, budget.stopAtFirstAcceptable());
    }
}
