package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The precision a node kept instead of the configuration's 8-bit (or narrower) types. */
public enum HigherPrecision {
    /** Left unquantized. */
    @JsonProperty("float") FLOAT,
    /** Quantized with 16-bit activations or weights. */
    @JsonProperty("int16") INT16;

    /** Returns the JSON spelling, {@code float} or {@code int16}. */
    public String label() {
        return this == FLOAT ? "float" : "int16";
    }
}
