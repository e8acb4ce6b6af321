package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * Session and latency settings for running models during evaluation.
 *
 * @param threads           intra-op threads of every session; at least 1
 * @param optimizationLevel ONNX Runtime graph optimizations; {@code ALL_OPT} lets ONNX Runtime
 *                          fuse QDQ node groups into integer kernels, as a deployment would
 * @param measureLatency    whether to measure latency (slow); false leaves {@link Cost#latency()} null
 * @param warmupRuns        untimed runs before timing; at least 0
 * @param latencyRuns       timed runs; at least 1
 */
public record EvaluationSettings(int threads, OptLevel optimizationLevel, boolean measureLatency, int warmupRuns,
                                 int latencyRuns) {

    public EvaluationSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; it must be at least 1");
        }
        if (warmupRuns < 0 || latencyRuns < 1) {
            throw new IllegalArgumentException("warmupRuns is " + warmupRuns + " and latencyRuns " + latencyRuns
                    + "; warm-up runs must be 0 or more and timed runs 1 or more");
        }
    }

    /** {@code threads} threads, all optimizations, no latency measurement (3 warm-up and 20 timed runs when enabled). */
    public static EvaluationSettings of(int threads) {
        return new EvaluationSettings(threads, OptLevel.ALL_OPT, false, 3, 20);
    }

    /** These settings with latency measured over {@code latencyRuns} runs after {@code warmupRuns}. */
    public EvaluationSettings withLatency(int newWarmupRuns, int newLatencyRuns) {
        return new EvaluationSettings(threads, optimizationLevel, true, newWarmupRuns, newLatencyRuns);
    }
}
