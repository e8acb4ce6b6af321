package dev.quantfleet.engine.evaluation;

import java.util.List;

/**
 * {@code accuracy}: the share of samples whose predicted class equals the label. The predicted
 * class is the argmax over the last axis of the sample's first float output, which must hold one
 * row of class scores per sample, e.g. shape {@code [1, classes]}; the first maximum wins ties.
 */
final class ClassificationAccuracy implements TaskMetric {

    static final String NAME = "accuracy";

    @Override
    public String name() {
        return NAME;
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
        long[] classes = labels.requireClasses(NAME, samples.size());
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("Metric '" + NAME + "' needs at least one sample");
        }
        int correct = 0;
        for (int index = 0; index < samples.size(); index++) {
            OutputTensor scores = samples.get(index).firstOutput();
            if (scores.rowCount() != 1) {
                throw new IllegalArgumentException("Metric '" + NAME + "' needs one row of class scores per sample, "
                        + "but output " + scores.describe() + " of " + samples.get(index).sample().origin() + " has "
                        + scores.rowCount() + " rows");
            }
            long label = classes[index];
            if (label < 0 || label >= scores.lastAxisSize()) {
                throw new IllegalArgumentException("Label " + label + " of evaluation sample " + (index + 1) + " ("
                        + samples.get(index).sample().origin() + ") is not a class of output " + scores.describe()
                        + ", which scores classes 0 to " + (scores.lastAxisSize() - 1) + "; fix the labels file");
            }
            correct += scores.argmax(0) == label ? 1 : 0;
        }
        return (double) correct / samples.size();
    }
}
