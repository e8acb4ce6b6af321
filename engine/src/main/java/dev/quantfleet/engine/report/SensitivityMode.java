package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The way a sensitivity probe isolates one node. */
public enum SensitivityMode {
    /** Only this node is quantized and the rest of the model stays in float. */
    @JsonProperty("only-quantized") ONLY_QUANTIZED,
    /** This node stays in float and the rest of the model is quantized. */
    @JsonProperty("only-float") ONLY_FLOAT;

    /** Returns the JSON spelling, {@code only-quantized} or {@code only-float}. */
    public String label() {
        return this == ONLY_QUANTIZED ? "only-quantized" : "only-float";
    }
}
