package dev.quantfleet.engine.quantize.ops;

/** Role of an operator input in quantization. */
public enum InputRole {
    /** A float activation, quantized with a QuantizeLinear/DequantizeLinear pair from its calibrated range; a constant there is quantized offline instead. */
    ACTIVATION,
    /** A float activation that is quantized only with the scale it already has, because the op moves data and shares that scale with its output. */
    SHARED_ACTIVATION,
    /** A constant quantized offline with the weight type, per channel where the op has a channel axis. */
    WEIGHT,
    /** A constant added to the int32 accumulator, quantized to int32 with the product of input and weight scales. */
    BIAS,
    /** Shapes, axes, indices, sizes, scales of Resize, pads: never quantized. */
    CONTROL
}
