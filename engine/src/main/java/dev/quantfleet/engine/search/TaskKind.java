package dev.quantfleet.engine.search;

/** What a search task does. Only EVALUATE and SENSITIVITY tasks count as trials. */
public enum TaskKind {
    /** Runs the float model: its metrics are the reference and its outputs the reference outputs. */
    BASELINE,
    /** Collects activation statistics on the calibration data, once per search. */
    CALIBRATE,
    /** Quantizes the model with one candidate configuration and scores it. */
    EVALUATE,
    /** Scores the effect of one node or block of nodes, expressed as a candidate configuration. */
    SENSITIVITY
}
