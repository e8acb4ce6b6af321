package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.evaluation.TextRecognitionErrors;
import dev.quantfleet.engine.metrics.VectorSimilarity;

import java.util.ArrayList;
import java.util.List;

/**
 * Errors of one recognizer on one set of lines, and the closeness of its outputs to fp32's.
 *
 * @param errors           per line, the edit distance to the reference and the reference length
 * @param meanFrameCosine  the cosine between the model's and fp32's class probabilities at each
 *                         time step, averaged over every time step of every line
 * @param frameAgreement   share of time steps whose most probable class equals fp32's
 * @param linesAsFp32      lines whose decoded text equals fp32's decoded text
 */
record RecognizerQuality(TextRecognitionErrors errors, double meanFrameCosine, double frameAgreement,
                         int linesAsFp32) {

    /** Bootstrap resamples of the character error rate's confidence interval. */
    static final int BOOTSTRAP_RESAMPLES = 2000;

    double characterErrorRate() {
        return errors.characterErrorRate();
    }

    double exactMatch() {
        return errors.exactMatch();
    }

    ConfidenceInterval characterErrorRateInterval() {
        return ConfidenceInterval.bootstrapRatio(errors.editDistances(), errors.referenceLengths(),
                BOOTSTRAP_RESAMPLES, 0);
    }

    ConfidenceInterval exactMatchInterval() {
        long exact = java.util.Arrays.stream(errors.editDistances()).filter(distance -> distance == 0).count();
        return ConfidenceInterval.wilson(exact, errors.sampleCount());
    }

    /**
     * Runs {@code sessions} on every line and scores each session. Session 0 is the fp32 model.
     *
     * @return one quality per session, in session order
     */
    static List<RecognizerQuality> measure(List<OrtSession> sessions, List<OcrLine> lines, CtcGreedyDecoder decoder,
                                           int threads) throws OrtException {
        List<LineResult[]> perLine = OcrModelRuns.forEachLine(lines.size(), threads,
                index -> compareOnLine(sessions, lines.get(index), decoder));
        List<String> references = lines.stream().map(OcrLine::text).toList();
        List<RecognizerQuality> qualities = new ArrayList<>();
        for (int model = 0; model < sessions.size(); model++) {
            List<String> recognized = new ArrayList<>();
            double cosineSum = 0;
            long frames = 0;
            long agreeing = 0;
            int asFp32 = 0;
            for (LineResult[] results : perLine) {
                LineResult result = results[model];
                recognized.add(result.text());
                cosineSum += result.cosineSum();
                frames += result.frames();
                agreeing += result.agreeingFrames();
                asFp32 += result.text().equals(results[0].text()) ? 1 : 0;
            }
            qualities.add(new RecognizerQuality(TextRecognitionErrors.of(recognized, references), cosineSum / frames,
                    (double) agreeing / frames, asFp32));
        }
        return qualities;
    }

    private record LineResult(String text, double cosineSum, int frames, int agreeingFrames) {
    }

    private static LineResult[] compareOnLine(List<OrtSession> sessions, OcrLine line, CtcGreedyDecoder decoder)
            throws OrtException {
        LineResult[] results = new LineResult[sessions.size()];
        OcrModelRuns.Scores reference = OcrModelRuns.recognize(sessions.get(0), line);
        int classes = reference.lastAxisSize();
        int frames = reference.values().length / classes;
        for (int model = 0; model < sessions.size(); model++) {
            OcrModelRuns.Scores scores = model == 0 ? reference : OcrModelRuns.recognize(sessions.get(model), line);
            double cosineSum = 0;
            int agreeing = 0;
            for (int frame = 0; frame < frames; frame++) {
                cosineSum += VectorSimilarity.cosine(scores.values(), reference.values(), frame * classes, classes);
                agreeing += scores.argmax(frame) == reference.argmax(frame) ? 1 : 0;
            }
            String text = decoder.decode(scores.values(), scores.shape()).get(0).text();
            results[model] = new LineResult(text, cosineSum, frames, agreeing);
        }
        return results;
    }
}
