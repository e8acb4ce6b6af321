package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Times single {@code session.run} calls of several sessions on the same inputs, interleaved so
 * that a slow phase of a shared machine falls on every session alike.
 *
 * <p>Procedure: {@code warmUpRuns} untimed runs per session; then {@code rounds} rounds, and in
 * each round every session does {@code runsPerRound} consecutive timed runs, the order of the
 * sessions rotating by one from round to round. Run {@code i} of a session feeds input
 * {@code i % inputs.size()}. A timed run is {@code session.run(inputs)} plus closing its result;
 * the input tensors are created once before timing.
 *
 * @param warmUpRuns   untimed runs per session before the first round
 * @param rounds       rounds of timed runs
 * @param runsPerRound consecutive timed runs of one session in one round
 */
public record LatencyMeasurement(int warmUpRuns, int rounds, int runsPerRound) {

    /**
     * Latencies of one session.
     *
     * @param runMs        every timed run, in milliseconds, in the order run
     * @param roundMedianMs the median run of each round, in milliseconds
     */
    public record Latencies(double[] runMs, double[] roundMedianMs) {

        public Distribution runs() {
            return Distribution.of(runMs);
        }
    }

    /**
     * Opens one session per serialized model of {@code models} with {@code threads} intra-op
     * threads and {@code level}, turns {@code samples} into input tensors, measures the sessions
     * and closes the sessions and tensors. The result has the models' order.
     */
    public List<Latencies> measureModels(List<byte[]> models, List<Sample> samples, int threads, OptLevel level)
            throws OrtException {
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        List<OrtSession> sessions = new ArrayList<>();
        try {
            for (Sample sample : samples) {
                feeds.add(SampleFeeds.toOnnxTensors(sample));
            }
            for (byte[] model : models) {
                sessions.add(OrtSessions.create(model, threads, level));
            }
            return measure(sessions, feeds);
        } finally {
            for (OrtSession session : sessions) {
                session.close();
            }
            feeds.forEach(SampleFeeds::close);
        }
    }

    /** Measures each of {@code sessions}; the result has the sessions' order. */
    public List<Latencies> measure(List<OrtSession> sessions, List<Map<String, OnnxTensor>> inputs)
            throws OrtException {
        int[] runCounts = new int[sessions.size()];
        for (int session = 0; session < sessions.size(); session++) {
            for (int run = 0; run < warmUpRuns; run++) {
                runOnce(sessions.get(session), inputs.get(runCounts[session]++ % inputs.size()));
            }
        }
        double[][] runMs = new double[sessions.size()][rounds * runsPerRound];
        double[][] roundMedianMs = new double[sessions.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int position = 0; position < sessions.size(); position++) {
                int session = (position + round) % sessions.size();
                double[] roundMs = new double[runsPerRound];
                for (int run = 0; run < runsPerRound; run++) {
                    Map<String, OnnxTensor> feed = inputs.get(runCounts[session]++ % inputs.size());
                    long start = System.nanoTime();
                    runOnce(sessions.get(session), feed);
                    roundMs[run] = (System.nanoTime() - start) / 1e6;
                }
                System.arraycopy(roundMs, 0, runMs[session], round * runsPerRound, runsPerRound);
                roundMedianMs[session][round] = Distribution.of(roundMs).median();
            }
        }
        List<Latencies> latencies = new ArrayList<>();
        for (int session = 0; session < sessions.size(); session++) {
            latencies.add(new Latencies(runMs[session], roundMedianMs[session]));
        }
        return latencies;
    }

    /**
     * Ratio of the round medians of {@code numerator} and {@code denominator}, one per round. A
     * ratio taken within one round compares runs made seconds apart, so background load that
     * changes over minutes cancels out.
     */
    public static Distribution pairedRatio(Latencies numerator, Latencies denominator) {
        double[] ratios = new double[numerator.roundMedianMs().length];
        for (int round = 0; round < ratios.length; round++) {
            ratios[round] = numerator.roundMedianMs()[round] / denominator.roundMedianMs()[round];
        }
        return Distribution.of(ratios);
    }

    private static void runOnce(OrtSession session, Map<String, OnnxTensor> feed) throws OrtException {
        session.run(feed).close();
    }
}
