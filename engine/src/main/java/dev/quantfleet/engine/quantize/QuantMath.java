package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;

/**
 * The arithmetic of linear quantization, {@code r = s * (q - z)} with a real value {@code r},
 * a quantized integer {@code q}, a scale {@code s > 0} and a zero point {@code z}.
 *
 * <h2>Choosing scale and zero point from a range [min, max]</h2>
 * <ol>
 *   <li>The range is first widened to include 0 ({@code min = min(min, 0)},
 *       {@code max = max(max, 0)}), so that the real 0 (padding, ReLU output, masked
 *       values) maps to the integer {@code z} and back to exactly 0.</li>
 *   <li>Asymmetric: {@code s = (max - min) / (qmax - qmin)} and
 *       {@code z = roundHalfEven(qmin - min / s)}, clamped to {@code [qmin, qmax]}.</li>
 *   <li>Symmetric: {@code a = max(|min|, |max|)}, {@code s = a / (2^(b-1) - 1)} for a type of
 *       {@code b} bits. Signed types get {@code z = 0}, so {@code [-a, a]} maps onto
 *       {@code [-(2^(b-1) - 1), 2^(b-1) - 1]} and the most negative integer stays unused, as
 *       in ONNX Runtime's quantization tool. Unsigned types get the midpoint
 *       {@code z = 2^(b-1)} (128 for uint8, 32768 for uint16, 8 for uint4).</li>
 *   <li>Degenerate ranges never give a zero, infinite or NaN scale: a range of width 0 (an
 *       all-zero tensor) gets {@code s = 1}, and any scale below {@link #MIN_SCALE} is raised to
 *       it. {@code MIN_SCALE} is 2^-60, so the product of an activation scale and a weight
 *       scale (the bias scale) is still a normal float.</li>
 * </ol>
 *
 * <h2>Quantizing a value</h2>
 * {@code q = saturate(roundHalfEven(r / s) + z)} to {@code [qmin, qmax]} of the type, with the
 * division done in float32. That is the formula of the ONNX QuantizeLinear operator, and
 * ONNX Runtime's CPU kernel gives the same bits (checked by {@code QuantMathOrtTest}).
 *
 * <h2>Bias</h2>
 * A bias added to the int32 accumulator of a Conv or Gemm uses int32,
 * {@code s_bias[c] = s_input * s_weight[c]} (float32 product) and {@code z = 0}. When a bias
 * value does not fit in int32 ({@code |b / s_bias| > 2^31 - 1}, which happens with a tiny
 * input or weight scale), the weight scale of that channel is widened to
 * {@code |b| / (s_input * (2^31 - 1))} (rounded up to the next float that fits); the caller must
 * then quantize the weight with the widened parameters that {@link #quantizeBias} returns.
 */
public final class QuantMath {

    /** Smallest scale this class hands out: 2^-60. */
    public static final float MIN_SCALE = 0x1p-60f;

    /** Largest int32 magnitude a bias may take; -2^31 stays unused so the range is symmetric. */
    static final long BIAS_LIMIT = Integer.MAX_VALUE;

    private QuantMath() {
    }

    /**
     * Computes per-tensor scale and zero point that cover {@code [min, max]} widened to include 0.
     *
     * @throws IllegalArgumentException if {@code min} or {@code max} is NaN or infinite, or min > max
     */
    public static QuantParameters parameters(float min, float max, ElementType type, boolean symmetric) {
        requireFiniteRange(min, max);
        double low = Math.min(min, 0.0);
        double high = Math.max(max, 0.0);
        if (symmetric) {
            double absMax = Math.max(-low, high);
            long halfRange = (1L << (type.bits() - 1)) - 1;
            long zeroPoint = type.minValue() < 0 ? 0 : 1L << (type.bits() - 1);
            return QuantParameters.perTensor(type, scaleFor(absMax, halfRange), zeroPoint);
        }
        long qmin = type.minValue();
        long qmax = type.maxValue();
        float scale = scaleFor(high - low, qmax - qmin);
        long zeroPoint = (long) Math.rint(qmin - low / scale);
        zeroPoint = Math.max(qmin, Math.min(qmax, zeroPoint));
        return QuantParameters.perTensor(type, scale, zeroPoint);
    }

    private static float scaleFor(double span, long levels) {
        if (span == 0) {
            return 1.0f;
        }
        float scale = (float) (span / levels);
        return Math.max(scale, MIN_SCALE);
    }

    private static void requireFiniteRange(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("Range [" + min + ", " + max + "] is not finite; "
                    + "calibration must give finite minimum and maximum values");
        }
        if (min > max) {
            throw new IllegalArgumentException("Range minimum " + min + " is greater than its maximum " + max);
        }
    }

    /**
     * Quantizes one value: {@code saturate(roundHalfEven(value / scale) + zeroPoint)}. Infinite
     * values saturate.
     *
     * @throws IllegalArgumentException if {@code value} is NaN
     */
    public static long quantize(float value, float scale, long zeroPoint, ElementType type) {
        if (Float.isNaN(value)) {
            throw new IllegalArgumentException("Cannot quantize NaN");
        }
        float quotient = value / scale;
        double rounded = Math.rint(quotient) + zeroPoint;
        return (long) Math.max(type.minValue(), Math.min(type.maxValue(), rounded));
    }

    public static float dequantize(long quantized, float scale, long zeroPoint) {
        return (quantized - zeroPoint) * scale;
    }

    /**
     * Quantizes a tensor stored row-major with {@code dims}, per tensor or along the axis of
     * {@code parameters}.
     *
     * @throws IllegalArgumentException if a value is NaN or the channel count does not match the axis length
     */
    public static long[] quantize(float[] values, long[] dims, QuantParameters parameters) {
        ChannelLayout layout = ChannelLayout.of(dims, parameters);
        long[] quantized = new long[values.length];
        ElementType type = parameters.type();
        for (int i = 0; i < values.length; i++) {
            int channel = layout.channelOf(i);
            if (Float.isNaN(values[i])) {
                throw new IllegalArgumentException("Cannot quantize NaN at flat index " + i);
            }
            quantized[i] = quantize(values[i], parameters.scale(channel), parameters.zeroPoint(channel), type);
        }
        return quantized;
    }

    /** Inverse of {@link #quantize(float[], long[], QuantParameters)} up to rounding: {@code s * (q - z)} per element. */
    public static float[] dequantize(long[] quantized, long[] dims, QuantParameters parameters) {
        ChannelLayout layout = ChannelLayout.of(dims, parameters);
        float[] values = new float[quantized.length];
        for (int i = 0; i < quantized.length; i++) {
            int channel = layout.channelOf(i);
            values[i] = dequantize(quantized[i], parameters.scale(channel), parameters.zeroPoint(channel));
        }
        return values;
    }

    /**
     * Computes the parameters of a constant tensor (a weight) from its own values: per tensor
     * when {@code axis} is {@link QuantParameters#PER_TENSOR}, else from the range of every
     * slice along {@code axis}.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, or the axis is outside the rank
     */
    public static QuantParameters weightParameters(float[] values, long[] dims, ElementType type, boolean symmetric,
                                                   int axis) {
        if (axis == QuantParameters.PER_TENSOR) {
            float[] range = range(values);
            return parameters(range[0], range[1], type, symmetric);
        }
        float[][] ranges = channelRanges(values, dims, axis);
        float[] scales = new float[ranges.length];
        long[] zeroPoints = new long[ranges.length];
        for (int channel = 0; channel < ranges.length; channel++) {
            QuantParameters single = parameters(ranges[channel][0], ranges[channel][1], type, symmetric);
            scales[channel] = single.scale();
            zeroPoints[channel] = single.zeroPoint();
        }
        return QuantParameters.perChannel(type, axis, scales, zeroPoints);
    }

    /** Minimum and maximum of {@code values}; [0, 0] for an empty tensor. */
    public static float[] range(float[] values) {
        float min = 0;
        float max = 0;
        if (values.length > 0) {
            min = Float.POSITIVE_INFINITY;
            max = Float.NEGATIVE_INFINITY;
        }
        for (float value : values) {
            requireFiniteValue(value);
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new float[] {min, max};
    }

    /** Minimum and maximum of every slice along {@code axis}, indexed {@code [channel][0 = min, 1 = max]}. */
    public static float[][] channelRanges(float[] values, long[] dims, int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new IllegalArgumentException("Axis " + axis + " is outside the rank " + dims.length + " of a tensor");
        }
        int channels = Math.toIntExact(dims[axis]);
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        float[][] ranges = new float[channels][];
        for (int channel = 0; channel < channels; channel++) {
            ranges[channel] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        }
        for (int i = 0; i < values.length; i++) {
            requireFiniteValue(values[i]);
            int channel = (int) ((i / inner) % channels);
            ranges[channel][0] = Math.min(ranges[channel][0], values[i]);
            ranges[channel][1] = Math.max(ranges[channel][1], values[i]);
        }
        for (float[] range : ranges) {
            if (range[0] > range[1]) {
                range[0] = 0;
                range[1] = 0;
            }
        }
        return ranges;
    }

    private static void requireFiniteValue(float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("Weight value " + value + " is not finite; a NaN or infinite weight "
                    + "cannot be quantized, so exclude the node or fix the model");
        }
    }

    /**
     * Quantizes a bias to int32 with {@code s_bias[c] = inputScale * s_weight[c]} and zero point 0,
     * widening weight scales where a value would not fit (see the class comment).
     *
     * @param bias   bias values, one per output channel
     * @param weight weight parameters; per-channel parameters must have {@code bias.length} channels
     *               or a divisor of it (ConvTranspose with groups repeats the weight channels per
     *               group, so bias channel {@code c} uses weight channel {@code c % channels})
     */
    public static BiasQuantization quantizeBias(float[] bias, float inputScale, QuantParameters weight) {
        int weightChannels = weight.channelCount();
        if (weight.isPerChannel() && bias.length % weightChannels != 0) {
            throw new IllegalArgumentException("Bias of " + bias.length + " values does not match " + weightChannels
                    + " weight channels");
        }

        float[] weightScales = weight.scales();
        boolean[] widened = new boolean[weightChannels];
        for (int c = 0; c < bias.length; c++) {
            requireFiniteValue(bias[c]);
            int channel = weight.isPerChannel() ? c % weightChannels : 0;
            float needed = widenedWeightScale(bias[c], inputScale, weightScales[channel]);
            if (needed > weightScales[channel]) {
                weightScales[channel] = needed;
                widened[channel] = true;
            }
        }

        QuantParameters widenedWeight = weight.isPerChannel()
                ? QuantParameters.perChannel(weight.type(), weight.axis(), weightScales, weight.zeroPoints())
                : QuantParameters.perTensor(weight.type(), weightScales[0], weight.zeroPoint());

        float[] biasScales = new float[weight.isPerChannel() ? bias.length : 1];
        for (int c = 0; c < biasScales.length; c++) {
            biasScales[c] = inputScale * weightScales[weight.isPerChannel() ? c % weightChannels : 0];
        }

        long[] values = new long[bias.length];
        for (int c = 0; c < bias.length; c++) {
            values[c] = (long) Math.rint(bias[c] / (double) biasScales[weight.isPerChannel() ? c : 0]);
        }

        int widenedCount = 0;
        for (boolean flag : widened) {
            widenedCount += flag ? 1 : 0;
        }

        return new BiasQuantization(values, biasScales, widenedWeight, widenedCount);
    }

    /** Smallest weight scale, at least {@code weightScale}, whose bias scale keeps {@code bias} within int32. */
    private static float widenedWeightScale(float bias, float inputScale, float weightScale) {
        float scale = weightScale;
        while (!fitsInt32(bias, inputScale * scale)) {
            float candidate = (float) (Math.abs((double) bias) / ((double) inputScale * BIAS_LIMIT));
            scale = candidate > scale ? candidate : Math.nextUp(scale);
        }
        return scale;
    }

    private static boolean fitsInt32(float bias, float biasScale) {
        if (!(biasScale > 0) || !Float.isFinite(biasScale)) {
            return false;
        }
        return Math.abs(Math.rint(bias / (double) biasScale)) <= BIAS_LIMIT;
    }

    /**
     * An int32 bias with its scales (zero point 0): one scale per bias value when the weight is
     * per channel, else one scale. {@code weight} contains the weight parameters to use, widened in
     * {@code widenedChannelCount} channels when a bias value did not fit otherwise.
     */
    public record BiasQuantization(long[] values, float[] scales, QuantParameters weight, int widenedChannelCount) {
    }

    /** Maps a flat row-major index to its channel along the axis of the parameters. */
    private record ChannelLayout(long inner, int channels) {

        static ChannelLayout of(long[] dims, QuantParameters parameters) {
            if (!parameters.isPerChannel()) {
                return new ChannelLayout(1, 1);
            }
            int axis = parameters.axis();
            if (axis >= dims.length) {
                throw new IllegalArgumentException("Per-channel axis " + axis + " is outside the rank " + dims.length);
            }
            if (dims[axis] != parameters.channelCount()) {
                throw new IllegalArgumentException("Axis " + axis + " has length " + dims[axis] + " but the parameters have "
                        + parameters.channelCount() + " channels");
            }
            long inner = 1;
            for (int d = axis + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
            return new ChannelLayout(inner, parameters.channelCount());
        }

        int channelOf(int flatIndex) {
            return channels == 1 ? 0 : (int) ((flatIndex / inner) % channels);
        }
    }
}
