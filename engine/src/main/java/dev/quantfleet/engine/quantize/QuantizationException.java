package dev.quantfleet.engine.quantize;

/**
 * A quantization request that cannot be carried out on this model. Examples: a node name or
 * pattern that matches no node, an opset that cannot be raised to what the configuration needs,
 * or a graph edit that would produce an invalid node. The message names the value and the fix.
 */
public class QuantizationException extends RuntimeException {

    public QuantizationException(String message) {
        super(message);
    }

    public QuantizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
