package dev.quantfleet.engine.evaluation;

import java.util.List;

/**
 * A metric of how well a model does its task, computed from the outputs of every evaluation
 * sample and the labels. Instances come from a {@link TaskMetricProvider}; see {@link TaskMetrics}.
 */
public interface TaskMetric {

    /** The name under which the value is stored, e.g. {@code accuracy} or {@code recall@10}. */
    String name();

    MetricDirection direction();

    /**
     * Returns whether {@link #score} reads {@link Labels#classes()}, so that a front end can ask
     * for a labels file before any work starts. False unless a metric overrides it.
     */
    default boolean needsClassLabels() {
        return false;
    }

    /**
     * Checks that {@code labels} hold the kind of targets that {@link #score} reads, before any
     * model runs: by default class labels when {@link #needsClassLabels()} is true. The count per
     * sample is checked by {@link #score}.
     *
     * @throws IllegalArgumentException if the labels are of the wrong kind, saying which kind to pass
     */
    default void requireLabels(Labels labels) {
        if (needsClassLabels()) {
            labels.requireClasses(name());
        }
    }

    /**
     * Scores one model.
     *
     * @param samples every evaluation sample with the model's float outputs, in data order
     * @param labels  class labels and text pairs of the evaluation data
     * @throws IllegalArgumentException if the labels or outputs do not fit the metric, saying why
     */
    double score(List<EvaluatedSample> samples, Labels labels);
}
