package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of a search.
 *
 * @param requestId    the request id
 * @param strategy     the strategy name
 * @param seed         the request seed
 * @param winner       the best acceptable candidate, or the best by metric when none is
 *                     acceptable; null when no candidate was evaluated OK
 * @param acceptable   whether {@code winner} meets the goal; a command line exits non-zero when false
 * @param baseline     the float model's evaluation
 * @param results      every task result, sorted by task id
 * @param sensitivity  per node or block label, the sensitivity measured (see {@link SensitivityProbes})
 * @param paretoFront  candidate ids of the Pareto front over metric, size and latency
 * @param trials       EVALUATE and SENSITIVITY tasks run (cached probes excluded)
 * @param stopReason   why the search stopped
 * @param wallTimeMs   wall time of the whole search
 */
public record SearchOutcome(String requestId, String strategy, long seed, CandidateResult winner, boolean acceptable,
                            Evaluation baseline, List<CandidateResult> results, SortedMap<String, Double> sensitivity,
                            List<String> paretoFront, int trials, StopReason stopReason, long wallTimeMs) {

    public SearchOutcome {
        results = List.copyOf(results);
        sensitivity = new TreeMap<>(sensitivity);
        paretoFront = List.copyOf(paretoFront);
    }

    public String toJson() {
        return SearchJson.write(this);
    }
}
