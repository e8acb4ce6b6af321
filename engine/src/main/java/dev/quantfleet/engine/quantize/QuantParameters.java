package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;

import java.util.Arrays;
import java.util.Objects;

/**
 * Scale and zero point of a linear quantization, {@code r = scale * (q - zeroPoint)}, either
 * per tensor (one scale, {@link #axis()} is {@link #PER_TENSOR}) or per channel along
 * {@link #axis()} (one scale and zero point per index of that axis).
 *
 * <p>Invariants, checked on construction: every scale is finite and positive, and every zero
 * point lies in {@code [type.minValue(), type.maxValue()]}.
 */
public final class QuantParameters {

    /** Axis value of per-tensor parameters. */
    public static final int PER_TENSOR = -1;

    private final ElementType type;
    private final float[] scales;
    private final long[] zeroPoints;
    private final int axis;

    private QuantParameters(ElementType type, float[] scales, long[] zeroPoints, int axis) {
        if (!type.isQuantizedInteger()) {
            throw new IllegalArgumentException("Quantized type must be one of int8, uint8, int16, uint16, int4, uint4; got "
                    + type);
        }
        if (scales.length == 0 || scales.length != zeroPoints.length) {
            throw new IllegalArgumentException("Need one zero point per scale and at least one scale; got "
                    + scales.length + " scales and " + zeroPoints.length + " zero points");
        }
        for (int i = 0; i < scales.length; i++) {
            if (!(scales[i] > 0) || !Float.isFinite(scales[i])) {
                throw new IllegalArgumentException("Scale " + scales[i] + " at channel " + i
                        + " is not a finite positive number");
            }
            if (zeroPoints[i] < type.minValue() || zeroPoints[i] > type.maxValue()) {
                throw new IllegalArgumentException("Zero point " + zeroPoints[i] + " at channel " + i + " is outside the "
                        + type + " range [" + type.minValue() + ", " + type.maxValue() + "]");
            }
        }
        this.type = type;
        this.scales = scales.clone();
        this.zeroPoints = zeroPoints.clone();
        this.axis = axis;
    }

    public static QuantParameters perTensor(ElementType type, float scale, long zeroPoint) {
        return new QuantParameters(type, new float[] {scale}, new long[] {zeroPoint}, PER_TENSOR);
    }

    public static QuantParameters perChannel(ElementType type, int axis, float[] scales, long[] zeroPoints) {
        if (axis < 0) {
            throw new IllegalArgumentException("Per-channel axis must be non-negative; got " + axis);
        }
        return new QuantParameters(type, scales, zeroPoints, axis);
    }

    public ElementType type() {
        return type;
    }

    /** Per-channel axis, or {@link #PER_TENSOR}. */
    public int axis() {
        return axis;
    }

    public boolean isPerChannel() {
        return axis != PER_TENSOR;
    }

    public int channelCount() {
        return scales.length;
    }

    public float scale(int channel) {
        return scales[channel];
    }

    public long zeroPoint(int channel) {
        return zeroPoints[channel];
    }

    /** Returns the single scale of per-tensor parameters. */
    public float scale() {
        requirePerTensor();
        return scales[0];
    }

    /** Returns the single zero point of per-tensor parameters. */
    public long zeroPoint() {
        requirePerTensor();
        return zeroPoints[0];
    }

    public float[] scales() {
        return scales.clone();
    }

    public long[] zeroPoints() {
        return zeroPoints.clone();
    }

    /** Same scales and zero points with a different axis, e.g. after a DequantizeLinear moved past a Gather. */
    public QuantParameters withAxis(int newAxis) {
        if (!isPerChannel()) {
            throw new IllegalStateException("Per-tensor parameters have no axis to move");
        }
        return perChannel(type, newAxis, scales, zeroPoints);
    }

    private void requirePerTensor() {
        if (isPerChannel()) {
            throw new IllegalStateException("Parameters are per channel along axis " + axis + " with "
                    + scales.length + " channels; ask for a channel");
        }
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof QuantParameters that)) {
            return false;
        }
        return axis == that.axis && type == that.type && Arrays.equals(scales, that.scales)
                && Arrays.equals(zeroPoints, that.zeroPoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, axis, Arrays.hashCode(scales), Arrays.hashCode(zeroPoints));
    }

    @Override
    public String toString() {
        return "QuantParameters[" + type + (isPerChannel() ? ", axis " + axis : "") + ", scales "
                + Arrays.toString(scales.length > 4 ? Arrays.copyOf(scales, 4) : scales)
                + ", zero points " + Arrays.toString(zeroPoints.length > 4 ? Arrays.copyOf(zeroPoints, 4) : zeroPoints)
                + (scales.length > 4 ? " (" + scales.length + " channels)" : "") + "]";
    }
}
