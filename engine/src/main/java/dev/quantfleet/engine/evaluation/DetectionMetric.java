package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.metrics.DetectionScores;

import java.util.List;

/**
 * Task metrics of a binary detector whose first float output is one score per sample (shape
 * {@code [1, 1]}, {@code [1]} or a scalar; higher means "positive"), against class labels 1
 * (positive) and 0 (negative). Both need at least one sample of each class; see
 * {@link DetectionScores} for the definitions and the NaN rule.
 * <ul>
 *   <li>{@code auc}: area under the ROC curve, ties counted one half.</li>
 *   <li>{@code detection@0fa}: detection rate at zero false accepts, the share of positives
 *       scoring strictly above the highest negative.</li>
 * </ul>
 * Both are fractions in [0, 1], higher is better. Neither depends on a threshold, so a search can
 * compare candidates whose scores shift as a whole.
 */
final class DetectionMetric implements TaskMetric {

    static final String AUC = "auc";
    static final String DETECTION_AT_ZERO_FALSE_ACCEPTS = "detection@0fa";

    private final String name;

    private DetectionMetric(String name) {
        this.name = name;
    }

    static DetectionMetric auc() {
        return new DetectionMetric(AUC);
    }

    static DetectionMetric detectionAtZeroFalseAccepts() {
        return new DetectionMetric(DETECTION_AT_ZERO_FALSE_ACCEPTS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MetricDirection direction() {
        return MetricDirection.HIGHER_IS_BETTER;
    }

    @Override
    public boolean needsClassLabels() {
        return true;
    }

    @Override
    public double score(List<EvaluatedSample> samples, Labels labels) {
        long[] classes = labels.requireClasses(name, samples.size());
        double[] scores = new double[samples.size()];
        for (int index = 0; index < samples.size(); index++) {
            OutputTensor output = samples.get(index).firstOutput();
            if (output.values().length != 1) {
                throw new IllegalArgumentException("Metric '" + name + "' needs one score per sample, but output "
                        + output.describe() + " of " + samples.get(index).sample().origin() + " has "
                        + output.values().length + " values; evaluate a model whose first float output is the "
                        + "detection score, e.g. of shape [1, 1]");
            }
            scores[index] = output.values()[0];
        }
        DetectionScores detection;
        try {
            detection = DetectionScores.of(scores, classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Metric '" + name + "' cannot score the evaluation data: "
                    + e.getMessage(), e);
        }
        return name.equals(AUC) ? detection.rocAuc() : detection.detectionRateAtZeroFalseAccepts();
    }
}
