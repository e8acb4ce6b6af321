package dev.quantfleet.engine.search;

/** Precision of one node in a mixed-precision candidate. */
public enum NodePrecision {
    /** The node follows the configuration's types. */
    AS_CONFIGURED,
    /** The node's activations are 16-bit (of the configuration's signedness); needs opset 21 and QDQ format. */
    ACTIVATIONS_16BIT,
    /** The node stays in float. */
    FLOAT
}
