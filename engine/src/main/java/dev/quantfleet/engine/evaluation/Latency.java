package dev.quantfleet.engine.evaluation;

/**
 * Measured wall time of one inference, over repeated runs after a warm-up.
 *
 * @param medianMs          median over {@code runs}
 * @param p10Ms             10th percentile (nearest rank)
 * @param p90Ms             90th percentile (nearest rank); {@code p90Ms - p10Ms} is the spread
 * @param runs              timed runs
 * @param warmupRuns        untimed runs before the first timed one
 * @param threads           intra-op threads of the session
 * @param executionProvider the ONNX Runtime execution provider, e.g. {@code CPUExecutionProvider}
 */
public record Latency(double medianMs, double p10Ms, double p90Ms, int runs, int warmupRuns, int threads,
                      String executionProvider) {
}
