package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;
import java.util.Objects;

/**
 * One search.
 *
 * @param requestId       prefix of every task id
 * @param inputs          model and data
 * @param facts           what the validity rules know about the model and target
 * @param space           the configurations that strategies other than {@code presets} draw from
 * @param goal            metric, maximum drop and objective
 * @param strategy        strategy name, see {@link SearchStrategies#NAMES}
 * @param budget          trials, deadline, stop at the first acceptable candidate
 * @param seed            seed of every random choice, see {@link SearchIds#seed}
 * @param sensitivityMode how sensitivity probes isolate a node; null selects {@link SensitivityMode#ONLY_QUANTIZED}
 * @param warmStart       configurations that {@link SearchDriver} evaluates in round 1, ahead of the
 *                        strategy's proposals, e.g. the winner of an earlier search on another
 *                        version of the model; null or empty for none
 */
public record SearchRequest(String requestId, SearchInputs inputs, ModelFacts facts, SearchSpace space,
                            SearchGoal goal, String strategy, SearchBudget budget, long seed,
                            SensitivityMode sensitivityMode, List<QuantConfig> warmStart) {

    public SearchRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(budget, "budget");
        space = space == null ? SearchSpace.defaults() : space;
        strategy = strategy == null ? SearchStrategies.AUTO : strategy;
        sensitivityMode = sensitivityMode == null ? SensitivityMode.ONLY_QUANTIZED : sensitivityMode;
        SearchStrategies.requireKnown(strategy);
        warmStart = warmStart == null ? List.of() : List.copyOf(warmStart);
    }

    /** Creates a request without warm-start configurations. */
    public SearchRequest(String requestId, SearchInputs inputs, ModelFacts facts, SearchSpace space,
                         SearchGoal goal, String strategy, SearchBudget budget, long seed,
                         SensitivityMode sensitivityMode) {
        this(requestId, inputs, facts, space, goal, strategy, budget, seed, sensitivityMode, List.of());
    }

    public SearchRequest withStrategy(String newStrategy) {
        return new SearchRequest(requestId, inputs, facts, space, goal, newStrategy, budget, seed, sensitivityMode,
                warmStart);
    }

    public SearchRequest withSeed(long newSeed) {
        return new SearchRequest(requestId, inputs, facts, space, goal, strategy, budget, newSeed, sensitivityMode,
                warmStart);
    }

    public SearchRequest withBudget(SearchBudget newBudget) {
        return new SearchRequest(requestId, inputs, facts, space, goal, strategy, newBudget, seed, sensitivityMode,
                warmStart);
    }

    /** Returns this request with {@code configs} as its warm start, replacing the earlier ones. */
    public SearchRequest withWarmStart(List<QuantConfig> configs) {
        return new SearchRequest(requestId, inputs, facts, space, goal, strategy, budget, seed, sensitivityMode,
                configs);
    }
}
