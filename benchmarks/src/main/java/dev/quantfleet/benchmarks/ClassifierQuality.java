package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy of one orientation classifier on one set, every second line turned by 180 degrees
 * ({@link OcrLine#turnedInClassifierSet}), and its agreement with fp32.
 *
 * @param correct      lines whose predicted orientation is the true one
 * @param lines        lines scored
 * @param asFp32       lines whose predicted orientation equals fp32's
 * @param meanAbsoluteChange mean over lines of |p(180 degrees) - fp32's p(180 degrees)|
 */
record ClassifierQuality(int correct, int lines, int asFp32, double meanAbsoluteChange) {

    double accuracy() {
        return (double) correct / lines;
    }

    double agreement() {
        return (double) asFp32 / lines;
    }

    ConfidenceInterval accuracyInterval() {
        return ConfidenceInterval.wilson(correct, lines);
    }

    /** Runs {@code sessions} on every line and returns one quality per session. Session 0 is the fp32 model. */
    static List<ClassifierQuality> measure(List<OrtSession> sessions, List<OcrLine> lines, int threads)
            throws OrtException {
        List<float[][]> perLine = OcrModelRuns.forEachLine(lines.size(), threads, index -> {
            float[][] probabilities = new float[sessions.size()][];
            for (int model = 0; model < sessions.size(); model++) {
                probabilities[model] = OcrModelRuns.classify(sessions.get(model), lines.get(index),
                        OcrLine.turnedInClassifierSet(index)).values();
            }
            return probabilities;
        });
        List<ClassifierQuality> qualities = new ArrayList<>();
        for (int model = 0; model < sessions.size(); model++) {
            int correct = 0;
            int asFp32 = 0;
            double change = 0;
            for (int index = 0; index < perLine.size(); index++) {
                float[] probabilities = perLine.get(index)[model];
                float[] reference = perLine.get(index)[0];
                boolean turned = probabilities[1] > probabilities[0];
                correct += turned == OcrLine.turnedInClassifierSet(index) ? 1 : 0;
                asFp32 += turned == (reference[1] > reference[0]) ? 1 : 0;
                change += Math.abs(probabilities[1] - reference[1]);
            }
            qualities.add(new ClassifierQuality(correct, perLine.size(), asFp32, change / perLine.size()));
        }
        return qualities;
    }
}
