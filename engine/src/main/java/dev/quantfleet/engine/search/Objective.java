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
