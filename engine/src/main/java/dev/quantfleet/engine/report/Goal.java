package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.Objective;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.quantfleet.engine.evaluation.MetricDirection;

import java.util.Objects;

/**
 * The search request: keep {@code metric} within {@code maxDrop} of the float model, and among
 * the candidates that do, minimise {@code objective} within {@code budget}.
 *
 * @param metric    name of the goal metric, e.g. {@code cosine}
 * @param direction whether a larger or a smaller metric value is better
 * @param maxDrop   largest accepted drop against the float model, non-negative; in the metric's
 *                  units when {@code dropMode} is absolute, a fraction of the baseline when relative
 * @param dropMode  absolute or relative
 * @param objective the cost minimised among acceptable candidates
 * @param budget    the limits on trials and wall time
 */
@JsonPropertyOrder({"metric", "direction", "maxDrop", "dropMode", "objective", "budget"})
public record Goal(String metric, MetricDirection direction, double maxDrop, DropMode dropMode, Objective objective,
                   Budget budget) {

    public Goal {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(dropMode, "dropMode");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(budget, "budget");
        if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) {
            throw new IllegalArgumentException("maxDrop is " + maxDrop + "; it must be a finite number >= 0");
        }
    }

    /** Returns the drop of {@code candidate} against {@code baseline}, in the goal's {@link #dropMode()}. */
    public double drop(double baseline, double candidate) {
        return dropMode == DropMode.ABSOLUTE
                ? direction.drop(baseline, candidate)
                : direction.relativeDrop(baseline, candidate);
    }

    /** Returns whether {@code candidate} is within {@code maxDrop} of {@code baseline}; NaN is never accepted. */
    public boolean accepts(double baseline, double candidate) {
        return drop(baseline, candidate) <= maxDrop;
    }

    /**
     * Returns the worst metric value that {@link #accepts} still accepts:
     * {@code baseline -/+ maxDrop} (absolute) or {@code baseline -/+ maxDrop * |baseline|}
     * (relative), minus for higher-is-better metrics and plus for lower-is-better ones.
     */
    public double thresholdValue(double baseline) {
        double allowed = dropMode == DropMode.ABSOLUTE ? maxDrop : maxDrop * Math.abs(baseline);
        return direction == MetricDirection.HIGHER_IS_BETTER ? baseline - allowed : baseline + allowed;
    }
}
