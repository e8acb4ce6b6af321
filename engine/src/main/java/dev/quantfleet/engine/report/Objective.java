package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The cost a search minimises among the candidates that meet the quality goal. */
public enum Objective {
    /** Serialized model bytes. */
    @JsonProperty("size") SIZE,
    /** Measured median latency. */
    @JsonProperty("latency") LATENCY,
    /** Share of multiply-accumulates left in float, i.e. maximise the integer share. */
    @JsonProperty("compute") COMPUTE
}
