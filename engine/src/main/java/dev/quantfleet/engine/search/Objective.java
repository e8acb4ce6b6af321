package dev.quantfleet.engine.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quantfleet.engine.evaluation.Cost;

import java.util.Arrays;
import java.util.Locale;

/** The cost a search minimises among acceptable candidates; JSON uses the lower-case names. */
public enum Objective {
    /** Serialized model size, {@link Cost#modelBytes()}. */
    SIZE,
    /** Median latency, {@code Cost.latency().medianMs()}; NaN (ranked last) when latency was not measured. */
    LATENCY,
    /** Share of multiply-accumulates left in float, {@code 1 - Cost.integerMacShare()}. */
    COMPUTE;

    /** Returns the cost of {@code cost} under this objective; lower is better. */
    public double of(Cost cost) {
        return switch (this) {
            case SIZE -> cost.modelBytes();
            case LATENCY -> cost.latency() == null ? Double.NaN : cost.latency().medianMs();
            case COMPUTE -> 1 - cost.integerMacShare();
        };
    }

    /** Relative step of the size and latency buckets of {@link #costBucket}. */
    public static final double RELATIVE_COST_RESOLUTION = 0.01;

    /**
     * Returns the bucket of {@code cost} (a value of {@link #of}); candidates whose costs fall in
     * one bucket count as equally cheap, so that quality decides between them. Size and latency
     * use steps of {@value #RELATIVE_COST_RESOLUTION} relative (logarithmic buckets); compute uses
     * steps of one percentage point. NaN falls in the last bucket.
     */
    public long costBucket(double cost) {
        if (Double.isNaN(cost)) {
            return Long.MAX_VALUE;
        }
        if (this == COMPUTE) {
            return Math.round(cost * 100);
        }
        return cost <= 0 ? Long.MIN_VALUE : (long) Math.floor(Math.log(cost) / Math.log1p(RELATIVE_COST_RESOLUTION));
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Objective parse(String text) {
        for (Objective objective : values()) {
            if (objective.name().equalsIgnoreCase(text.trim())) {
                return objective;
            }
        }
        throw new IllegalArgumentException("Unknown objective '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Objective::jsonName).toList());
    }
}
