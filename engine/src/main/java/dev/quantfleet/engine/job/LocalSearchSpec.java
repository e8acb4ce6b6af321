package dev.quantfleet.engine.job;

import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A search over files in this process.
 *
 * @param model             the float ONNX model
 * @param calibrationData   calibration samples, in any form {@code SampleSources} reads
 * @param evaluationData    evaluation samples, or a {@code .tsv} file of query/document pairs
 * @param evaluationLabels  class labels of the evaluation samples, or null
 * @param textOptions       tokenizer settings for text data, or null
 * @param goal              metric, maximum drop and objective
 * @param strategy          strategy name, such as {@code auto}
 * @param budget            trials, deadline, stop at the first acceptable candidate
 * @param seed              seed of every random choice
 * @param threads           candidates evaluated at the same time
 * @param settings          ONNX Runtime threads inside each task, optimization level, latency runs
 * @param sensitivityCache  folder of cached sensitivity probes, or null for none
 * @param warmStart         configurations evaluated in round 1 ahead of the strategy's proposals, see
 *                          {@link dev.quantfleet.engine.search.SearchRequest#warmStart()}; null or empty for none
 */
public record LocalSearchSpec(Path model, Path calibrationData, Path evaluationData, Path evaluationLabels,
                              TextOptions textOptions, SearchGoal goal, String strategy, SearchBudget budget,
                              long seed, int threads, EvaluationSettings settings, Path sensitivityCache,
                              List<QuantConfig> warmStart) {

    public LocalSearchSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(calibrationData, "calibrationData");
        Objects.requireNonNull(evaluationData, "evaluationData");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(settings, "settings");
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; it must be 1 or more");
        }
        warmStart = warmStart == null ? List.of() : List.copyOf(warmStart);
    }

    /** Creates a search without warm-start configurations. */
    public LocalSearchSpec(Path model, Path calibrationData, Path evaluationData, Path evaluationLabels,
                           TextOptions textOptions, SearchGoal goal, String strategy, SearchBudget budget,
                           long seed, int threads, EvaluationSettings settings, Path sensitivityCache) {
        this(model, calibrationData, evaluationData, evaluationLabels, textOptions, goal, strategy, budget, seed,
                threads, settings, sensitivityCache, List.of());
    }

    /** Returns this search with {@code configs} as its warm start, replacing the earlier ones. */
    public LocalSearchSpec withWarmStart(List<QuantConfig> configs) {
        return new LocalSearchSpec(model, calibrationData, evaluationData, evaluationLabels, textOptions, goal,
                strategy, budget, seed, threads, settings, sensitivityCache, configs);
    }
}
