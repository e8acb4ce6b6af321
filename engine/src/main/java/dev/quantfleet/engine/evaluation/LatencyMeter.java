package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.util.Arrays;

/**
 * Measures the wall time of one inference: {@code warmupRuns} untimed runs, then
 * {@code runs} timed runs of the same sample on the same session. The median is the middle
 * value (the mean of the two middle values for an even count); p10 and p90 use the nearest
 * rank, the value at 1-based rank {@code ceil(p / 100 * runs)} of the sorted times. A timed run
 * includes creating the input tensors and copying the float outputs, as a caller would.
 */
public final class LatencyMeter {

    private final int warmupRuns;
    private final int runs;

    public LatencyMeter(int warmupRuns, int runs) {
        if (warmupRuns < 0 || runs < 1) {
            throw new IllegalArgumentException("warmupRuns is " + warmupRuns + " and runs " + runs
                    + "; warm-up runs must be 0 or more and timed runs 1 or more");
        }
        this.warmupRuns = warmupRuns;
        this.runs = runs;
    }

    /**
     * Times {@code session}, a session on the CPU execution provider, on {@code sample}.
     *
     * @see #measure(OrtSession, Sample, int, String)
     */
    public Latency measure(OrtSession session, Sample sample, int threads) throws OrtException {
        return measure(session, sample, threads, OrtSessions.CPU_EXECUTION_PROVIDER);
    }

    /**
     * Times {@code session} on {@code sample}.
     *
     * @param threads           the session's intra-op thread count, recorded in the result
     * @param executionProvider the name of the session's execution provider, recorded in the result
     * @throws OrtException if a run fails
     */
    public Latency measure(OrtSession session, Sample sample, int threads, String executionProvider)
            throws OrtException {
        for (int run = 0; run < warmupRuns; run++) {
            ModelRuns.run(session, sample);
        }
        double[] timesMs = new double[runs];
        for (int run = 0; run < runs; run++) {
            long startNanos = System.nanoTime();
            ModelRuns.run(session, sample);
            timesMs[run] = (System.nanoTime() - startNanos) / 1e6;
        }
        return summarize(timesMs, warmupRuns, threads, executionProvider);
    }

    /** Summarizes measured times in milliseconds as the class comment defines. */
    static Latency summarize(double[] timesMs, int warmupRuns, int threads, String executionProvider) {
        double[] sorted = timesMs.clone();
        Arrays.sort(sorted);
        return new Latency(median(sorted), nearestRank(sorted, 10), nearestRank(sorted, 90), sorted.length, warmupRuns,
                threads, executionProvider);
    }

    static double nearestRank(double[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
