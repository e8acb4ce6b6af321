package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.metrics.DetectionScores;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link WakeWordPipeline} model, float or quantized, over clips and compares its scores
 * with the fp32 model's.
 */
final class WakeWordScores {

    private WakeWordScores() {
    }

    /** Returns the score of each clip, in order, from one session with {@code threads} intra-op threads and all optimizations. */
    static double[] score(byte[] modelBytes, List<float[]> clips, int threads) throws OrtException {
        double[] scores = new double[clips.size()];
        try (OrtSession session = OrtSessions.create(modelBytes, threads, OptLevel.ALL_OPT)) {
            for (int index = 0; index < clips.size(); index++) {
                try (OnnxTensor audio = input(clips.get(index));
                     OrtSession.Result result = session.run(Map.of(WakeWordPipeline.INPUT, audio))) {
                    float[][] score = (float[][]) result.get(WakeWordPipeline.OUTPUT).orElseThrow().getValue();
                    scores[index] = score[0][0];
                }
            }
        }
        return scores;
    }

    /** Creates the {@code [1, 31712]} input tensor of one clip; the caller closes it. */
    static OnnxTensor input(float[] clip) throws OrtException {
        return OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(clip),
                new long[] {1, WakeWordPipeline.CLIP_SAMPLES});
    }

    /**
     * Quality and fidelity of one model's scores.
     *
     * @param auc                  ROC-AUC against the labels
     * @param aucLow95             lower end of the 95 % interval of Hanley and McNeil
     * @param aucHigh95            upper end of that interval
     * @param detectionAtZeroFalseAccepts share of positives above the highest negative
     * @param highestNegativeScore the highest negative score, the threshold at zero false accepts
     * @param scoreMse             mean squared difference of the scores to fp32's
     * @param scoreCosine          cosine between the vector of scores over all clips and fp32's
     * @param maxScoreDifference   largest absolute score difference to fp32 on one clip
     */
    record Quality(double auc, double aucLow95, double aucHigh95, double detectionAtZeroFalseAccepts,
                   double highestNegativeScore, double scoreMse, double scoreCosine, double maxScoreDifference) {

        static Quality of(double[] scores, double[] floatScores, long[] labels) {
            DetectionScores detection = DetectionScores.of(scores, labels);
            double[] interval = detection.rocAucConfidenceInterval95();
            double squares = 0;
            double dot = 0;
            double norm = 0;
            double floatNorm = 0;
            double maxDifference = 0;
            for (int index = 0; index < scores.length; index++) {
                double difference = scores[index] - floatScores[index];
                squares += difference * difference;
                dot += scores[index] * floatScores[index];
                norm += scores[index] * scores[index];
                floatNorm += floatScores[index] * floatScores[index];
                maxDifference = Math.max(maxDifference, Math.abs(difference));
            }
            return new Quality(detection.rocAuc(), interval[0], interval[1], detection.detectionRateAtZeroFalseAccepts(),
                    detection.highestNegativeScore(), squares / scores.length, dot / Math.sqrt(norm * floatNorm),
                    maxDifference);
        }
    }
}
