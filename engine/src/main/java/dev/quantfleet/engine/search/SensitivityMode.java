package dev.quantfleet.engine.search;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a sensitivity probe isolates a node (or block) of a base configuration. */
public enum SensitivityMode {
    /**
     * Only the node is quantized: the base configuration with every other node excluded. The
     * sensitivity is the metric drop of the probe against the float model.
     */
    @JsonProperty("only-quantized") ONLY_QUANTIZED,
    /**
     * Only the node is kept in float: the base configuration with a keep-float override for it.
     * The sensitivity is how much of the base configuration's drop the probe recovers.
     */
    @JsonProperty("only-float") ONLY_FLOAT;

    /** Returns the JSON spelling, {@code only-quantized} or {@code only-float}. */
    public String label() {
        return this == ONLY_QUANTIZED ? "only-quantized" : "only-float";
    }
}
