package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.MetricDirection;

import java.util.Objects;

/**
 * What a search is for: keep {@code metric} within {@code maxDrop} of the float model and
 * minimise {@code objective} among the candidates that do.
 *
 * @param metric          metric name as the evaluation reports it, e.g. {@code cosine}
 * @param direction       whether a larger or a smaller value of the metric is better
 * @param maxDrop         the largest acceptable drop against the float model, in the metric's
 *                        units when {@code relativeDrop} is false, in percent of the float
 *                        model's value otherwise; at least 0
 * @param relativeDrop    whether {@code maxDrop} is a percentage
 * @param objective       the cost to minimise; null selects {@link Objective#SIZE}
 */
public record SearchGoal(String metric, MetricDirection direction, double maxDrop, boolean relativeDrop,
                         Objective objective) {

    public SearchGoal {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(direction, "direction");
        if (!(maxDrop >= 0)) {
            throw new IllegalArgumentException("maxDrop is " + maxDrop + "; it must be 0 or more, e.g. 0.01");
        }
        objective = objective == null ? Objective.SIZE : objective;
    }

    /** Returns a goal with an absolute maximum drop, minimising size. */
    public static SearchGoal absolute(String metric, MetricDirection direction, double maxDrop) {
        return new SearchGoal(metric, direction, maxDrop, false, Objective.SIZE);
    }

    public SearchGoal withObjective(Objective newObjective) {
        return new SearchGoal(metric, direction, maxDrop, relativeDrop, newObjective);
    }

    /** Returns whether {@code evaluation} is OK, has the metric, and stays within the maximum drop. */
    public boolean accepts(Evaluation baseline, Evaluation evaluation) {
        if (evaluation.status() != EvaluationStatus.OK || !evaluation.metrics().containsKey(metric)) {
            return false;
        }
        return dropInGoalUnits(baseline, evaluation) <= maxDrop;
    }

    /** Returns the drop of {@code evaluation} against {@code baseline}, in percent when the goal is relative. */
    public double dropInGoalUnits(Evaluation baseline, Evaluation evaluation) {
        double reference = baseline.metric(metric);
        double value = evaluation.metric(metric);
        return relativeDrop ? 100 * direction.relativeDrop(reference, value) : direction.drop(reference, value);
    }

    /** Returns the metric value of {@code evaluation}, NaN when it has none. */
    public double quality(Evaluation evaluation) {
        Double value = evaluation.metrics().get(metric);
        return value == null ? Double.NaN : value;
    }
}
