package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.Objective;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.engine.evaluation.Cost;

import java.util.List;

/** The cost axis of a Pareto front; every axis is minimised. */
public enum CostAxis {
    /** {@link Cost#modelBytes()}. */
    @JsonProperty("modelBytes") MODEL_BYTES("model size", "bytes"),
    /** The median of {@link Cost#latency()}, absent where latency was not measured. */
    @JsonProperty("latencyMedianMs") LATENCY_MEDIAN_MS("median latency", "ms"),
    /** {@code 1 - }{@link Cost#integerMacShare()}: the share of multiply-accumulates left in float. */
    @JsonProperty("floatMacShare") FLOAT_MAC_SHARE("float share of MACs", "fraction");

    private final String title;
    private final String unit;

    CostAxis(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** Returns a label for plot axes, e.g. {@code model size (bytes)}. */
    public String label() {
        return title + " (" + unit + ")";
    }

    /** Returns this axis's value for {@code cost}, or null where it has none (no cost, or latency not measured). */
    public Double valueOf(Cost cost) {
        if (cost == null) {
            return null;
        }
        return switch (this) {
            case MODEL_BYTES -> (double) cost.modelBytes();
            case LATENCY_MEDIAN_MS -> cost.latency() == null ? null : cost.latency().medianMs();
            case FLOAT_MAC_SHARE -> 1 - cost.integerMacShare();
        };
    }

    /**
     * Returns the axis matching {@code objective}: size by default, latency when the objective is
     * latency and every OK candidate has a measured latency, float share for the compute objective.
     */
    public static CostAxis forObjective(Objective objective, List<CandidateEntry> candidates) {
        return switch (objective) {
            case SIZE -> MODEL_BYTES;
            case COMPUTE -> FLOAT_MAC_SHARE;
            case LATENCY -> candidates.stream().filter(CandidateEntry::isOk)
                    .allMatch(candidate -> candidate.cost().latency() != null) ? LATENCY_MEDIAN_MS : MODEL_BYTES;
        };
    }
}
