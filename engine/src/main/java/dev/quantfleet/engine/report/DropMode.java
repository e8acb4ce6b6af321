package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The measure of {@link Goal#maxDrop()} against the float model's metric value. */
public enum DropMode {
    /** The drop in the metric's units: {@code MetricDirection.drop(baseline, candidate)}. */
    @JsonProperty("absolute") ABSOLUTE,
    /** The drop divided by the baseline's magnitude: {@code MetricDirection.relativeDrop(baseline, candidate)}. */
    @JsonProperty("relative") RELATIVE
}
