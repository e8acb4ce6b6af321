package dev.quantfleet.engine.calibration;

/**
 * Settings of the calibration methods.
 *
 * @param percentile       for {@link CalibrationMethod#Percentile}: the percentage of values kept
 *                         inside the range, from 50 to 100. Symmetric ranges keep this share of
 *                         {@code |x|}; asymmetric ranges cut {@code 100 - percentile} percent
 *                         from each tail.
 * @param numBins          histogram bins per tensor during calibration, a power of two from 4
 *                         to 2^24; half of them cover the negative and half the positive values
 * @param numQuantizedBins for {@link CalibrationMethod#Entropy}: quantization levels on one side
 *                         of zero of a symmetric range; 0 derives it from the target type as
 *                         {@code 2^(bits-1)}, i.e. 128 for 8-bit types. A one-sided
 *                         asymmetric range gets twice as many levels.
 */
public record CalibrationParameters(double percentile, int numBins, int numQuantizedBins) {

    /** Keeps 99.999 % of the values, 4096 histogram bins, quantized bins from the target type. */
    public static final CalibrationParameters DEFAULTS = new CalibrationParameters(99.999, 4096, 0);

    public CalibrationParameters {
        if (!(percentile >= 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile is " + percentile + "; it must be from 50 to 100, e.g. 99.999");
        }
        TensorStatistics.requireValidBinCount(numBins);
        if (numQuantizedBins < 0) {
            throw new IllegalArgumentException("numQuantizedBins is " + numQuantizedBins
                    + "; it must be 0 (derive from the target type) or positive, e.g. 128");
        }
    }

    public CalibrationParameters withPercentile(double newPercentile) {
        return new CalibrationParameters(newPercentile, numBins, numQuantizedBins);
    }

    public CalibrationParameters withNumBins(int newNumBins) {
        return new CalibrationParameters(percentile, newNumBins, numQuantizedBins);
    }

    public CalibrationParameters withNumQuantizedBins(int newNumQuantizedBins) {
        return new CalibrationParameters(percentile, numBins, newNumQuantizedBins);
    }
}
