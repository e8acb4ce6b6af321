package dev.quantfleet.engine.quantize.ops;

/**
 * Thrown by an {@link OpHandler} when a node it would rewrite cannot be quantized; the message is
 * the reason written to the quantization result, and the node stays in float.
 */
public final class NodeSkippedException extends Exception {

    public NodeSkippedException(String reason) {
        super(reason, null, false, false);
    }
}
