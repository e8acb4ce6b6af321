package dev.quantfleet.engine.search;

import java.time.Duration;

/**
 * Limits of a search.
 *
 * @param maxTrials             the most EVALUATE and SENSITIVITY tasks run; cached sensitivity
 *                              results are free
 * @param deadline              wall time from the start of the search, all rounds included,
 *                              after which no task starts; null for none
 * @param stopAtFirstAcceptable stop after the first round that produced an acceptable candidate
 */
public record SearchBudget(int maxTrials, Duration deadline, boolean stopAtFirstAcceptable) {

    public SearchBudget {
        if (maxTrials < 0) {
            throw new IllegalArgumentException("maxTrials is " + maxTrials + "; it must be 0 or more");
        }
        if (deadline != null && deadline.isNegative()) {
            throw new IllegalArgumentException("deadline is " + deadline + "; it must not be negative");
        }
    }

    public static SearchBudget trials(int maxTrials) {
        return new SearchBudget(maxTrials, null, false);
    }
}
