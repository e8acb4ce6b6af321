package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the OCR models on single lines, and runs a per-line job over many lines on a few
 * threads. Results are stored by line index, so they do not depend on the order the threads
 * finish in.
 */
final class OcrModelRuns {

    /** Work done for one line; may run on any thread. */
    interface LineJob<T> {
        T run(int index) throws OrtException;
    }

    private OcrModelRuns() {
    }

    /** Runs {@code job} for lines 0 to {@code count - 1} on {@code threads} threads and returns the results in line order. */
    static <T> List<T> forEachLine(int count, int threads, LineJob<T> job) throws OrtException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>(count);
            for (int index = 0; index < count; index++) {
                int line = index;
                futures.add(executor.submit(() -> job.run(line)));
            }
            List<T> results = new ArrayList<>(count);
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running the models on the lines", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OrtException ortException) {
                throw ortException;
            }
            throw new IllegalStateException("Running a model on a line failed: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }

    /** Runs the recognizer {@code session} on one line at its own width and returns the scores {@code [1, T, C]}. */
    static Scores recognize(OrtSession session, OcrLine line) throws OrtException {
        TextLineRenderer.RecognizerInput input = line.recognizerInput();
        return run(session, input.values(), input.shape());
    }

    /** Runs the classifier {@code session} on one line and returns the scores {@code [1, 2]}. */
    static Scores classify(OrtSession session, OcrLine line, boolean turned) throws OrtException {
        return run(session, line.classifierInput(turned),
                new long[] {1, 3, TextLineRenderer.HEIGHT, TextLineRenderer.CLASSIFIER_WIDTH});
    }

    /** Creates the feed of {@link #recognize} for {@code line}, for latency runs; the caller closes the tensor. */
    static Map<String, OnnxTensor> recognizerFeed(OrtSession session, OcrLine line) throws OrtException {
        TextLineRenderer.RecognizerInput input = line.recognizerInput();
        return Map.of(inputName(session), OnnxTensor.createTensor(OrtSessions.environment(),
                FloatBuffer.wrap(input.values()), input.shape()));
    }

    /** Creates the feed of {@link #classify} for {@code line}, for latency runs; the caller closes the tensor. */
    static Map<String, OnnxTensor> classifierFeed(OrtSession session, OcrLine line) throws OrtException {
        return Map.of(inputName(session), OnnxTensor.createTensor(OrtSessions.environment(),
                FloatBuffer.wrap(line.classifierInput(false)),
                new long[] {1, 3, TextLineRenderer.HEIGHT, TextLineRenderer.CLASSIFIER_WIDTH}));
    }

    /** The first output of one run: its shape and values. */
    record Scores(long[] shape, float[] values) {

        int lastAxisSize() {
            return Math.toIntExact(shape[shape.length - 1]);
        }

        /** Index of the largest value in row {@code row} of the last axis; the first one on ties. */
        int argmax(int row) {
            int width = lastAxisSize();
            int best = 0;
            for (int index = 1; index < width; index++) {
                if (values[row * width + index] > values[row * width + best]) {
                    best = index;
                }
            }
            return best;
        }
    }

    private static Scores run(OrtSession session, float[] values, long[] shape) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(inputName(session), tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            FloatBuffer buffer = output.getFloatBuffer();
            float[] scores = new float[buffer.remaining()];
            buffer.get(scores);
            return new Scores(output.getInfo().getShape(), scores);
        }
    }

    private static String inputName(OrtSession session) {
        return session.getInputNames().iterator().next();
    }
}
