package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.evaluation.MetricDirections;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.search.SearchGoal;

/**
 * The wire form of a {@link SearchGoal}: keep {@code metric} within {@code maxDrop} of the float
 * model and minimise {@code objective} among the candidates that do.
 *
 * @param metric       metric name as the evaluation reports it, e.g. {@code cosine}
 * @param direction    whether a larger or smaller value is better; null selects the direction
 *                     the engine knows for {@code metric}
 * @param maxDrop      the largest acceptable drop, in the metric's units, or in percent of the
 *                     float model's value when {@code relativeDrop}; 0 or more
 * @param relativeDrop whether {@code maxDrop} is a percentage
 * @param objective    the cost to minimise; null is read as {@code size}
 */
public record RequestGoal(@JsonProperty(required = true) String metric,
                          MetricDirection direction,
                          @JsonProperty(required = true) double maxDrop,
                          boolean relativeDrop,
                          Objective objective) {

    public RequestGoal {
        WireChecks.requiredText(metric, "metric");
        if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) {
            throw new IllegalArgumentException("maxDrop is " + maxDrop + "; it must be a finite number, 0 or more");
        }
        objective = objective == null ? Objective.SIZE : objective;
    }

    /** Returns the engine goal, looking up the metric's direction when this goal leaves it out. */
    public SearchGoal toSearchGoal() {
        MetricDirection resolved = direction == null ? MetricDirections.of(metric) : direction;
        return new SearchGoal(metric, resolved, maxDrop, relativeDrop, objective);
    }

    /** Returns the wire form of {@code goal}, with its direction stated. */
    public static RequestGoal of(SearchGoal goal) {
        return new RequestGoal(goal.metric(), goal.direction(), goal.maxDrop(), goal.relativeDrop(), goal.objective());
    }
}
