package dev.quantfleet.engine.calibration;

import dev.quantfleet.engine.onnx.ElementType;

/**
 * Turns the statistics of one tensor into a quantization range with one of the
 * {@link CalibrationMethod}s. Every method returns a finite range inside the observed
 * {@code [min, max]} (symmetric ranges inside {@code [-max|x|, max|x|]}); NaN and infinite
 * values are left out, and a tensor without finite values gets {@code [0, 0]}.
 *
 * <ul>
 *   <li>{@code MinMax}: {@code [min, max]}, or {@code [-a, a]} with {@code a = max(|min|, |max|)}.</li>
 *   <li>{@code Percentile}: symmetric, the {@code percentile}-th percentile {@code t} of
 *       {@code |x|} gives {@code [-t, t]}; asymmetric, the {@code 100 - percentile}-th and the
 *       {@code percentile}-th percentile of {@code x}. Percentiles interpolate linearly inside a
 *       histogram bin.</li>
 *   <li>{@code Entropy}: see {@link EntropyThreshold}. Symmetric ranges search one threshold over
 *       {@code |x|}; asymmetric ranges search the positive and the negative side separately.</li>
 *   <li>{@code MinMSE}: see {@link MseThreshold}.</li>
 * </ul>
 */
public final class RangeEstimator {

    private RangeEstimator() {
    }

    /**
     * Estimates the range of one tensor.
     *
     * @param statistics the tensor's calibration statistics
     * @param method     the calibration method
     * @param parameters percentile and quantized bin count; the bin count of the statistics is used as is
     * @param targetType the quantized element type, which sets the number of quantization levels
     * @param symmetric  whether the range must be symmetric around zero
     * @throws IllegalArgumentException if {@code targetType} has fewer than 2 or more than 16 bits
     */
    public static Range range(TensorStatistics statistics, CalibrationMethod method, CalibrationParameters parameters,
                              ElementType targetType, boolean symmetric) {
        int bits = targetType.bits();
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("Target type " + targetType + " has " + bits + " bits; quantized "
                    + "types have 2 to 16 bits, e.g. INT8, UINT8, INT16, UINT16, INT4, UINT4");
        }
        if (statistics.count() == 0) {
            return new Range(0, 0);
        }
        return switch (method) {
            case MinMax -> minMax(statistics, symmetric);
            case Percentile -> percentile(statistics, parameters.percentile(), symmetric);
            case Entropy -> entropy(statistics, quantizedBins(parameters, bits), symmetric);
            case MinMSE -> MseThreshold.range(statistics, bits, symmetric);
        };
    }

    private static Range minMax(TensorStatistics statistics, boolean symmetric) {
        if (symmetric) {
            double magnitude = maxMagnitude(statistics);
            return symmetricRange(magnitude);
        }
        return clampedRange(statistics, statistics.min(), statistics.max());
    }

    private static Range percentile(TensorStatistics statistics, double percentile, boolean symmetric) {
        double fraction = percentile / 100;
        if (symmetric) {
            double threshold = quantile(statistics.absoluteHistogram(), 0, statistics.binWidth(), fraction);
            return symmetricRange(Math.min(threshold, maxMagnitude(statistics)));
        }
        long[] signed = statistics.histogram();
        double low = quantile(signed, -statistics.rangeHigh(), statistics.binWidth(), 1 - fraction);
        double high = quantile(signed, -statistics.rangeHigh(), statistics.binWidth(), fraction);
        return clampedRange(statistics, low, high);
    }

    private static Range entropy(TensorStatistics statistics, int levelsPerSide, boolean symmetric) {
        double width = statistics.binWidth();
        if (symmetric) {
            double threshold = EntropyThreshold.threshold(statistics.absoluteHistogram(), levelsPerSide) * width;
            return symmetricRange(Math.min(threshold, maxMagnitude(statistics)));
        }
        boolean oneSided = statistics.min() >= 0 || statistics.max() <= 0;
        int levels = oneSided ? 2 * levelsPerSide : levelsPerSide;
        double high = statistics.max() > 0
                ? EntropyThreshold.threshold(statistics.positiveHistogram(), levels) * width
                : statistics.max();
        double low = statistics.min() < 0
                ? -EntropyThreshold.threshold(statistics.negativeHistogram(), levels) * width
                : statistics.min();
        return clampedRange(statistics, low, high);
    }

    private static int quantizedBins(CalibrationParameters parameters, int bits) {
        return parameters.numQuantizedBins() > 0 ? parameters.numQuantizedBins() : 1 << (bits - 1);
    }

    /**
     * Returns the value below which {@code fraction} of the histogram's values lie, interpolating
     * linearly inside the bin where the cumulative count reaches it.
     *
     * @param counts    bin counts, bin {@code j} covering {@code [base + j w, base + (j+1) w)}
     * @param base      lower edge of bin 0
     * @param width     bin width {@code w}
     * @param fraction  from 0 to 1
     */
    static double quantile(long[] counts, double base, double width, double fraction) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        double target = fraction * total;
        long cumulative = 0;
        int lastNonEmpty = -1;
        for (int bin = 0; bin < counts.length; bin++) {
            long count = counts[bin];
            if (count == 0) {
                continue;
            }
            lastNonEmpty = bin;
            if (cumulative + count >= target) {
                double inside = Math.max(0, (target - cumulative) / count);
                return base + width * (bin + inside);
            }
            cumulative += count;
        }
        return base + width * (lastNonEmpty + 1);
    }

    static double maxMagnitude(TensorStatistics statistics) {
        return Math.max(Math.abs(statistics.min()), Math.abs(statistics.max()));
    }

    static Range symmetricRange(double magnitude) {
        float bound = (float) magnitude;
        return new Range(-bound, bound);
    }

    /** {@code [low, high]} clamped to the observed {@code [min, max]}, with {@code low <= high}. */
    static Range clampedRange(TensorStatistics statistics, double low, double high) {
        float min = (float) Math.max(statistics.min(), Math.min(low, statistics.max()));
        float max = (float) Math.min(statistics.max(), Math.max(high, statistics.min()));
        return min <= max ? new Range(min, max) : new Range(max, min);
    }
}
