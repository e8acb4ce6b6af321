package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.runtime.ExecutionProvider;

import java.util.Objects;

/**
 * Session and latency settings for running models during evaluation.
 *
 * @param threads           intra-op threads of every session; at least 1
 * @param optimizationLevel ONNX Runtime graph optimizations; {@code ALL_OPT} lets ONNX Runtime
 *                          fuse QDQ node groups into integer kernels, as a deployment would
 * @param measureLatency    whether to measure latency (slow); false leaves {@link Cost#latency()} null
 * @param warmupRuns        untimed runs before timing; at least 0
 * @param latencyRuns       timed runs; at least 1
 * @param executionProvider the execution provider of the sessions that run the models and time them
 */
public record EvaluationSettings(int threads, OptLevel optimizationLevel, boolean measureLatency, int warmupRuns,
                                 int latencyRuns, ExecutionProvider executionProvider) {

    public EvaluationSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; it must be at least 1");
        }
        if (warmupRuns < 0 || latencyRuns < 1) {
            throw new IllegalArgumentException("warmupRuns is " + warmupRuns + " and latencyRuns " + latencyRuns
                    + "; warm-up runs must be 0 or more and timed runs 1 or more");
        }
        Objects.requireNonNull(executionProvider, "executionProvider");
    }

    /** Settings on the CPU execution provider. */
    public EvaluationSettings(int threads, OptLevel optimizationLevel, boolean measureLatency, int warmupRuns,
                              int latencyRuns) {
        this(threads, optimizationLevel, measureLatency, warmupRuns, latencyRuns, ExecutionProvider.cpu());
    }

    /**
     * {@code threads} threads, all optimizations, the CPU execution provider, no latency
     * measurement (3 warm-up and 20 timed runs when enabled).
     */
    public static EvaluationSettings of(int threads) {
        return new EvaluationSettings(threads, OptLevel.ALL_OPT, false, 3, 20);
    }

    /** These settings with latency measured over {@code latencyRuns} runs after {@code warmupRuns}. */
    public EvaluationSettings withLatency(int newWarmupRuns, int newLatencyRuns) {
        return new EvaluationSettings(threads, optimizationLevel, true, newWarmupRuns, newLatencyRuns,
                executionProvider);
    }

    /** These settings with sessions on {@code provider}. */
    public EvaluationSettings withExecutionProvider(ExecutionProvider provider) {
        return new EvaluationSettings(threads, optimizationLevel, measureLatency, warmupRuns, latencyRuns, provider);
    }
}
