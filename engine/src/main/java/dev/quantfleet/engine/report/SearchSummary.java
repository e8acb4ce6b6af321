package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * The run of the search: strategy, counts, stop reason and wall time.
 *
 * @param strategy   name of the search strategy, e.g. {@code sensitivity-greedy}
 * @param seed       seed of the strategy's random generator
 * @param rounds     rounds run
 * @param trials     candidates evaluated, sensitivity probes included
 * @param stopReason why the search stopped, e.g. {@code budget: maxTrials 40 reached}
 * @param wallTimeMs wall time of the whole search in milliseconds; a timing field
 * @param threads    candidates evaluated at the same time: search threads in process, workers with results in the fleet
 */
@JsonPropertyOrder({"strategy", "seed", "rounds", "trials", "stopReason", "wallTimeMs", "threads"})
public record SearchSummary(String strategy, long seed, int rounds, int trials, String stopReason, long wallTimeMs,
                            int threads) {

    public SearchSummary {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(stopReason, "stopReason");
    }
}
