package dev.quantfleet.engine.calibration;

import dev.quantfleet.engine.onnx.ElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RangeEstimatorTest {

    private static final CalibrationParameters DEFAULTS = CalibrationParameters.DEFAULTS;

    @Test
    void minMaxSymmetricUsesLargestMagnitude() {
        TensorStatistics statistics = statisticsOf(-0.5f, 2f, 1f);

        assertThat(range(statistics, CalibrationMethod.MinMax, true)).isEqualTo(new Range(-2f, 2f));
        assertThat(range(statistics, CalibrationMethod.MinMax, false)).isEqualTo(new Range(-0.5f, 2f));
    }

    @Test
    void percentileOfUniformDistribution() {
        TensorStatistics statistics = statisticsOf(uniform(200_000, -1, 1, 1));
        CalibrationParameters ninetyNine = DEFAULTS.withPercentile(99);

        Range symmetric = RangeEstimator.range(statistics, CalibrationMethod.Percentile, ninetyNine, ElementType.INT8, true);
        Range twoSided = RangeEstimator.range(statistics, CalibrationMethod.Percentile, ninetyNine, ElementType.INT8, false);

        assertThat(symmetric.max()).isCloseTo(0.99f, within(0.003f));
        assertThat(symmetric.min()).isEqualTo(-symmetric.max());
        assertThat(twoSided.min()).isCloseTo(-0.98f, within(0.003f));
        assertThat(twoSided.max()).isCloseTo(0.98f, within(0.003f));
    }

    @Test
    void percentileInterpolatesInsideBins() {
        float[] values = new float[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        TensorStatistics statistics = new TensorStatistics(512);
        statistics.add(values, 0, values.length);

        Range range = RangeEstimator.range(statistics, CalibrationMethod.Percentile, DEFAULTS.withPercentile(90),
                ElementType.UINT8, true);

        // Bins are 0.5 wide, so the 90th value lies in [90, 90.5): the count reaches 90 at its upper edge.
        assertThat(range.max()).isCloseTo(90.5f, within(1e-4f));
    }

    @Test
    void percentileOfHundredIsTheObservedRange() {
        TensorStatistics statistics = statisticsOf(uniform(10_000, -3, 5, 2));

        Range range = RangeEstimator.range(statistics, CalibrationMethod.Percentile, DEFAULTS.withPercentile(100),
                ElementType.INT8, false);

        assertThat(range.min()).isEqualTo((float) statistics.min());
        assertThat(range.max()).isEqualTo((float) statistics.max());
    }

    @Test
    void entropyKeepsUniformDistribution() {
        TensorStatistics statistics = statisticsOf(uniform(200_000, -1, 1, 3));

        Range range = range(statistics, CalibrationMethod.Entropy, true);

        assertThat(range.max()).isGreaterThan(0.95f);
    }

    @Test
    void entropyClipsOutliersOfLongTail() {
        TensorStatistics statistics = statisticsOf(gaussianWithOutliers(200_000, 20, 50, 4));

        Range range = range(statistics, CalibrationMethod.Entropy, true);

        assertThat(range.max()).isBetween(2f, 10f);
        assertThat(range.min()).isEqualTo(-range.max());
    }

    @Test
    void entropyOfNonNegativeTensorKeepsLowerBound() {
        float[] values = gaussianWithOutliers(100_000, 10, 60, 5);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(0, values[i]);
        }
        TensorStatistics statistics = statisticsOf(values);

        Range range = range(statistics, CalibrationMethod.Entropy, false);

        assertThat(range.min()).isZero();
        assertThat(range.max()).isBetween(2f, 10f);
    }

    @Test
    void entropyKeepsSpanFarFromZero() {
        // The span of a LayerNorm variance in PP-OCRv4: no value near zero. A search that
        // started at L bins from zero clipped it into its first non-empty bin, [0.7571, 0.7578].
        float[] values = uniform(100_000, 0.7571f, 2.713f, 16);
        TensorStatistics statistics = statisticsOf(values);

        Range range = range(statistics, CalibrationMethod.Entropy, false);

        assertThat(range.min()).isCloseTo(0.7571f, within(0.001f));
        assertThat(range.max()).as("uniform data has no outliers to clip").isGreaterThan(2.5f);
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"INT8", "INT4"})
    void minMseOfLaplaceMatchesAnalyticOptimum(ElementType targetType) {
        TensorStatistics statistics = statisticsOf(laplace(1_000_000, 0, 13));
        double optimum = laplaceMseOptimum(targetType.bits());

        Range range = RangeEstimator.range(statistics, CalibrationMethod.MinMSE, DEFAULTS, targetType, true);

        assertThat((double) range.max()).isCloseTo(optimum, within(optimum * 0.03));
        assertThat((double) range.max()).isLessThan(statistics.max());
    }

    @Test
    void entropyAndPercentileClipLaplaceTail() {
        TensorStatistics statistics = statisticsOf(laplace(1_000_000, 0, 14));
        float observed = range(statistics, CalibrationMethod.MinMax, true).max();

        // P(|x| > t) = e^-t for Laplace with scale 1, so the 99.9th percentile of |x| is ln(1000).
        Range percentile = RangeEstimator.range(statistics, CalibrationMethod.Percentile, DEFAULTS.withPercentile(99.9),
                ElementType.INT8, true);
        assertThat((double) percentile.max()).isCloseTo(Math.log(1000), within(0.1));
        assertThat(range(statistics, CalibrationMethod.Entropy, true).max()).isBetween(0.4f * observed, 0.95f * observed);
    }

    @Test
    void minMseNearlyMinimizesMeasuredError() {
        float[] values = gaussianWithOutliers(100_000, 20, 50, 6);
        TensorStatistics statistics = statisticsOf(values);

        float chosen = range(statistics, CalibrationMethod.MinMSE, true).max();
        double bestOnGrid = Double.POSITIVE_INFINITY;
        for (int step = 1; step <= 500; step++) {
            bestOnGrid = Math.min(bestOnGrid, symmetricInt8Error(values, step * 0.1f));
        }

        assertThat(symmetricInt8Error(values, chosen)).isLessThan(bestOnGrid * 1.05);
        assertThat(chosen).isLessThan(50f);
    }

    @Test
    void minMseKeepsUniformDistribution() {
        TensorStatistics statistics = statisticsOf(uniform(100_000, -1, 1, 8));

        Range range = range(statistics, CalibrationMethod.MinMSE, true);

        assertThat(range.max()).isGreaterThan(0.95f);
    }

    @Test
    void minMseAsymmetricClipsBothTails() {
        TensorStatistics statistics = statisticsOf(laplace(1_000_000, 2, 15));
        double optimumWidth = 2 * laplaceMseOptimum(8);

        Range range = range(statistics, CalibrationMethod.MinMSE, false);

        assertThat((double) range.max() - range.min()).isCloseTo(optimumWidth, within(optimumWidth * 0.05));
        assertThat((double) range.min()).isGreaterThan(statistics.min());
        assertThat((double) range.max()).isLessThan(statistics.max());
        assertThat((range.min() + range.max()) / 2).isCloseTo(2f, within(0.5f));
    }

    @Test
    void sixteenBitTargetClipsLess() {
        TensorStatistics statistics = statisticsOf(gaussianWithOutliers(100_000, 20, 50, 10));

        Range eightBit = range(statistics, CalibrationMethod.MinMSE, true);
        Range sixteenBit = RangeEstimator.range(statistics, CalibrationMethod.MinMSE, DEFAULTS, ElementType.INT16, true);

        assertThat(sixteenBit.max()).isGreaterThan(eightBit.max());
    }

    @ParameterizedTest
    @EnumSource(CalibrationMethod.class)
    void emptyStatisticsGiveZeroRange(CalibrationMethod method) {
        TensorStatistics statistics = new TensorStatistics(256);
        statistics.add(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 0, 2);

        assertThat(range(statistics, method, false)).isEqualTo(new Range(0, 0));
        assertThat(range(statistics, method, true)).isEqualTo(new Range(0, 0));
    }

    @ParameterizedTest
    @EnumSource(CalibrationMethod.class)
    void allZerosGiveZeroRange(CalibrationMethod method) {
        TensorStatistics statistics = statisticsOf(new float[1000]);

        assertThat(range(statistics, method, false)).isEqualTo(new Range(0, 0));
        assertThat(range(statistics, method, true)).isEqualTo(new Range(0, 0));
    }

    @ParameterizedTest
    @EnumSource(CalibrationMethod.class)
    void constantTensorGivesFiniteRangeAroundIt(CalibrationMethod method) {
        float[] values = new float[1000];
        java.util.Arrays.fill(values, 3f);
        TensorStatistics statistics = statisticsOf(values);

        Range asymmetric = range(statistics, method, false);
        Range symmetric = range(statistics, method, true);

        assertThat(asymmetric).isEqualTo(new Range(3f, 3f));
        assertThat(symmetric.max()).isBetween(2.9f, 3f);
        assertThat(symmetric.min()).isEqualTo(-symmetric.max());
    }

    @ParameterizedTest
    @EnumSource(CalibrationMethod.class)
    void nonFiniteValuesDoNotReachTheRange(CalibrationMethod method) {
        float[] values = uniform(10_000, -1, 1, 12);
        values[17] = Float.NaN;
        values[18] = Float.POSITIVE_INFINITY;
        values[19] = Float.NEGATIVE_INFINITY;
        TensorStatistics statistics = statisticsOf(values);

        Range range = range(statistics, method, false);

        assertThat(range.min()).isBetween(-1f, 0f);
        assertThat(range.max()).isBetween(0f, 1f);
    }

    @Test
    void targetTypeMustBeQuantized() {
        TensorStatistics statistics = statisticsOf(1f, 2f);

        assertThatThrownBy(() -> RangeEstimator.range(statistics, CalibrationMethod.MinMax, DEFAULTS,
                ElementType.FLOAT, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLOAT has 32 bits");
    }

    @Test
    void parametersRejectInvalidValues() {
        assertThatThrownBy(() -> DEFAULTS.withPercentile(40)).hasMessageContaining("percentile is 40.0");
        assertThatThrownBy(() -> DEFAULTS.withNumBins(100)).hasMessageContaining("numBins is 100");
        assertThatThrownBy(() -> DEFAULTS.withNumQuantizedBins(-1)).hasMessageContaining("numQuantizedBins is -1");
    }

    @Test
    void methodNamesParseLeniently() {
        assertThat(CalibrationMethod.fromName("MinMax")).isEqualTo(CalibrationMethod.MinMax);
        assertThat(CalibrationMethod.fromName("min_mse")).isEqualTo(CalibrationMethod.MinMSE);
        assertThat(CalibrationMethod.fromName("ENTROPY")).isEqualTo(CalibrationMethod.Entropy);
        assertThatThrownBy(() -> CalibrationMethod.fromName("kl"))
                .hasMessageContaining("Unknown calibration method 'kl'")
                .hasMessageContaining("MinMax, Percentile, Entropy, MinMSE");
    }

    private static Range range(TensorStatistics statistics, CalibrationMethod method, boolean symmetric) {
        return RangeEstimator.range(statistics, method, DEFAULTS, ElementType.INT8, symmetric);
    }

    static TensorStatistics statisticsOf(float... values) {
        TensorStatistics statistics = new TensorStatistics(DEFAULTS.numBins());
        statistics.add(values, 0, values.length);
        return statistics;
    }

    static float[] uniform(int count, float low, float high, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = low + (high - low) * random.nextFloat();
        }
        return values;
    }

    /** Standard normal values with {@code outliers} values at {@code ±outlier} mixed in. */
    static float[] gaussianWithOutliers(int count, int outliers, float outlier, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < outliers; i++) {
            values[random.nextInt(count)] = (i % 2 == 0 ? outlier : -outlier) * (0.5f + random.nextFloat() / 2);
        }
        values[0] = outlier;
        return values;
    }

    /** Laplace values with scale 1 around {@code center}, by inverse transform sampling. */
    static float[] laplace(int count, float center, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble() - 0.5;
            values[i] = center + (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return values;
    }

    /**
     * Computes the threshold a that minimizes the expected error of symmetric quantization of a Laplace
     * distribution with scale 1 into 2^bits levels over [-a, a]: with step D = 2a / (2^bits - 1),
     * E(a) = P(|x| <= a) D^2 / 12 + 2 * integral from a to infinity of (x - a)^2 e^-x / 2 dx
     *      = (1 - e^-a) D^2 / 12 + 2 e^-a, minimized on a grid of step 0.001.
     */
    static double laplaceMseOptimum(int bits) {
        double best = 0;
        double bestError = Double.POSITIVE_INFINITY;
        for (int step = 1; step <= 30_000; step++) {
            double threshold = step * 0.001;
            double quantizationStep = 2 * threshold / (Math.pow(2, bits) - 1);
            double error = (1 - Math.exp(-threshold)) * quantizationStep * quantizationStep / 12
                    + 2 * Math.exp(-threshold);
            if (error < bestError) {
                bestError = error;
                best = threshold;
            }
        }
        return best;
    }

    /** Mean squared error of symmetric int8 quantization over [-t, t] with 255 levels. */
    private static double symmetricInt8Error(float[] values, float threshold) {
        double step = 2.0 * threshold / 255;
        double total = 0;
        for (float value : values) {
            double clipped = Math.max(-threshold, Math.min(threshold, value));
            double quantized = Math.round(clipped / step) * step;
            total += (value - quantized) * (value - quantized);
        }
        return total / values.length;
    }
}
