package dev.quantfleet.engine.calibration;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorStatisticsTest {

    private static final int BINS = 256;

    @Test
    void growingHistogramEqualsBruteForce() {
        Random random = new Random(7);
        List<float[]> chunks = new ArrayList<>();
        for (int chunk = 0; chunk < 12; chunk++) {
            float scale = (float) Math.pow(3, chunk - 4);
            float[] values = new float[500];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * scale + (chunk % 3 == 0 ? scale : 0));
            }
            chunks.add(values);
        }
        TensorStatistics statistics = new TensorStatistics(BINS);
        chunks.forEach(values -> statistics.add(values, 0, values.length));

        long[] expected = bruteForceHistogram(chunks, BINS);
        assertThat(statistics.histogram()).containsExactly(expected);
        assertThat(statistics.rangeExponent()).isEqualTo(bruteForceExponent(chunks));
        assertThat(statistics.count()).isEqualTo(12 * 500);
    }

    @Test
    void binningIsExactForTinyAndHugeRanges() {
        Random random = new Random(13);
        List<float[]> chunks = new ArrayList<>();
        for (int exponent : new int[] {-140, -120, -60, -3, 0, 11, 12, 40, 120}) {
            float[] values = new float[300];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.scalb(random.nextGaussian(), exponent);
            }
            chunks.add(values);
            TensorStatistics statistics = new TensorStatistics(BINS);
            chunks.forEach(chunk -> statistics.add(chunk, 0, chunk.length));

            assertThat(statistics.histogram()).as("after the chunk of scale 2^%d", exponent)
                    .containsExactly(bruteForceHistogram(chunks, BINS));
        }
    }

    @Test
    void histogramIgnoresOrderAndChunking() {
        Random random = new Random(11);
        float[] values = new float[4000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (Math.exp(random.nextGaussian() * 3) * (random.nextBoolean() ? 1 : -1));
        }
        TensorStatistics whole = new TensorStatistics(BINS);
        whole.add(values, 0, values.length);

        List<Float> shuffled = new ArrayList<>();
        for (float value : values) {
            shuffled.add(value);
        }
        Collections.shuffle(shuffled, new Random(3));
        TensorStatistics oneByOne = new TensorStatistics(BINS);
        for (float value : shuffled) {
            oneByOne.add(new float[] {value}, 0, 1);
        }

        assertThat(oneByOne).isEqualTo(whole);
    }

    @Test
    void mergeEqualsAddingAllValues() {
        Random random = new Random(5);
        float[] small = new float[1000];
        float[] large = new float[1000];
        for (int i = 0; i < small.length; i++) {
            small[i] = (float) random.nextGaussian() * 0.01f;
            large[i] = (float) random.nextGaussian() * 40;
        }
        TensorStatistics left = new TensorStatistics(BINS);
        left.add(small, 0, small.length);
        TensorStatistics right = new TensorStatistics(BINS);
        right.add(large, 0, large.length);
        TensorStatistics both = new TensorStatistics(BINS);
        both.add(large, 0, large.length);
        both.add(small, 0, small.length);

        left.merge(right);

        assertThat(left).isEqualTo(both);
    }

    @Test
    void minAndMaxOfNegativeValues() {
        TensorStatistics statistics = new TensorStatistics(BINS);
        statistics.add(new float[] {-3.5f, -0.25f, -7f}, 0, 3);

        assertThat(statistics.min()).isEqualTo(-7.0);
        assertThat(statistics.max()).isEqualTo(-0.25);
        assertThat(statistics.rangeExponent()).isEqualTo(3);
    }

    @Test
    void emptyStatisticsStartAtInfinity() {
        TensorStatistics statistics = new TensorStatistics(BINS);

        assertThat(statistics.min()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(statistics.max()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(statistics.count()).isZero();
    }

    @Test
    void nonFiniteValuesAreCountedApart() {
        TensorStatistics statistics = new TensorStatistics(BINS);
        float[] values = {1f, Float.NaN, Float.POSITIVE_INFINITY, -2f, Float.NEGATIVE_INFINITY, Float.NaN};
        statistics.add(values, 0, values.length);

        assertThat(statistics.count()).isEqualTo(2);
        assertThat(statistics.nanCount()).isEqualTo(2);
        assertThat(statistics.positiveInfinityCount()).isEqualTo(1);
        assertThat(statistics.negativeInfinityCount()).isEqualTo(1);
        assertThat(statistics.min()).isEqualTo(-2.0);
        assertThat(statistics.max()).isEqualTo(1.0);
        assertThat(sum(statistics.histogram())).isEqualTo(2);
    }

    @Test
    void zerosFallIntoTheBinAboveZero() {
        TensorStatistics statistics = new TensorStatistics(BINS);
        statistics.add(new float[] {0f, 0f, 0f}, 0, 3);

        assertThat(statistics.rangeExponent()).isEqualTo(TensorStatistics.MIN_RANGE_EXPONENT);
        assertThat(statistics.histogram()[BINS / 2]).isEqualTo(3);
        assertThat(statistics.binLowEdge(BINS / 2)).isZero();
    }

    @Test
    void largestFloatFitsTheRange() {
        TensorStatistics statistics = new TensorStatistics(BINS);
        statistics.add(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE}, 0, 3);

        assertThat(statistics.rangeExponent()).isEqualTo(128);
        assertThat(statistics.histogram()[BINS - 1]).isEqualTo(1);
        assertThat(statistics.histogram()[0]).isEqualTo(1);
        assertThat(statistics.histogram()[BINS / 2]).isEqualTo(1);
    }

    @Test
    void directBufferIsReadWithoutMovingIt() {
        FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(4 * 3).order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer().put(new float[] {1f, 2f, -4f});
        direct.flip();
        TensorStatistics statistics = new TensorStatistics(BINS);
        statistics.add(direct);

        assertThat(direct.position()).isZero();
        assertThat(statistics.count()).isEqualTo(3);
        assertThat(statistics.min()).isEqualTo(-4.0);
    }

    @Test
    void absoluteHistogramFoldsBothSides() {
        TensorStatistics statistics = new TensorStatistics(8);
        statistics.add(new float[] {0.5f, -0.5f, 1.5f, -3.9f}, 0, 4);

        assertThat(statistics.rangeExponent()).isEqualTo(2);
        assertThat(statistics.binWidth()).isEqualTo(1.0);
        assertThat(statistics.histogram()).containsExactly(1, 0, 0, 1, 1, 1, 0, 0);
        assertThat(statistics.absoluteHistogram()).containsExactly(2, 1, 0, 1);
        assertThat(statistics.positiveHistogram()).containsExactly(1, 1, 0, 0);
        assertThat(statistics.negativeHistogram()).containsExactly(1, 0, 0, 1);
    }

    @Test
    void binCountMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new TensorStatistics(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numBins is 1000")
                .hasMessageContaining("power of two");
    }

    @Test
    void mergeRejectsOtherBinCounts() {
        TensorStatistics statistics = new TensorStatistics(8);

        assertThatThrownBy(() -> statistics.merge(new TensorStatistics(16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bins");
    }

    /** Bins every value with exact decimal arithmetic over the final range. */
    private static long[] bruteForceHistogram(List<float[]> chunks, int bins) {
        int exponent = bruteForceExponent(chunks);
        BigDecimal width = new BigDecimal(Math.scalb(1.0, exponent + 1)).divide(BigDecimal.valueOf(bins));
        long[] histogram = new long[bins];
        for (float[] values : chunks) {
            for (float value : values) {
                BigDecimal quotient = new BigDecimal(value).divide(width);
                int bin = bins / 2 + quotient.setScale(0, RoundingMode.FLOOR).intValueExact();
                histogram[bin]++;
            }
        }
        return histogram;
    }

    /** Returns the smallest e with every |x| < 2^e. */
    private static int bruteForceExponent(List<float[]> chunks) {
        double maxMagnitude = 0;
        for (float[] values : chunks) {
            for (float value : values) {
                maxMagnitude = Math.max(maxMagnitude, Math.abs(value));
            }
        }
        int exponent = TensorStatistics.MIN_RANGE_EXPONENT;
        while (Math.scalb(1.0, exponent) <= maxMagnitude) {
            exponent++;
        }
        return exponent;
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
