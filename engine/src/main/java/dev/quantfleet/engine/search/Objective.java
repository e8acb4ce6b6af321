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

    /** Relative cost difference within which size or latency count as equal to the cheapest. */
    public static final double RELATIVE_COST_TOLERANCE = 0.01;

    /** Absolute difference of the float share within which compute counts as equal to the cheapest. */
    public static final double COMPUTE_TOLERANCE = 0.01;

    /**
     * Returns whether {@code cost} counts as equally cheap as {@code cheapest} (both values of
     * {@link #of}): within {@value #RELATIVE_COST_TOLERANCE} relative for size and latency, within
     * {@value #COMPUTE_TOLERANCE} for compute. A NaN cost is never within; a NaN cheapest cost
     * (nothing measured) puts every cost within, so quality decides.
     */
    public boolean withinTolerance(double cost, double cheapest) {
        if (Double.isNaN(cheapest)) {
            return true;
        }
        if (Double.isNaN(cost)) {
            return false;
        }
        return this == COMPUTE ? cost <= cheapest + COMPUTE_TOLERANCE
                : cost <= cheapest * (1 + RELATIVE_COST_TOLERANCE);
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
