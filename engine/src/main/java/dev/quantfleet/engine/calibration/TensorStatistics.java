package dev.quantfleet.engine.calibration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Running statistics of one float tensor over all calibration samples: minimum, maximum and
 * count of the finite values, counts of NaN and infinite values, and a histogram of fixed size.
 * Memory does not depend on the number of values added, and no value is stored.
 *
 * <h2>Histogram scheme</h2>
 * The histogram has {@code numBins} bins (a power of two, {@code n}) over the range
 * {@code [-H, H)}, symmetric around zero, where {@code H = 2^e} is the smallest power of two
 * above every finite magnitude added so far (at least {@code 2^}{@link #MIN_RANGE_EXPONENT}).
 * The bin width is {@code w = 2H / n}, also a power of two, and a finite value {@code x} goes to
 * bin {@code n/2 + floor(x / w)}; zero is a bin edge. Because {@code x / w} is an exact
 * multiplication by a power of two, a value's bin has no rounding error.
 *
 * <p>When a value reaches {@code |x| >= H}, the range grows to {@code H' = 2^k H} for the
 * smallest sufficient {@code k}, and bin {@code n/2 + m} moves to bin {@code n/2 + floor(m / 2^k)}.
 * Every new bin is exactly the union of {@code 2^k} old bins, because all edges are multiples of
 * the new width, so growing loses no information that the coarser bins can hold. Hence the
 * histogram depends only on the multiset of values added, never on their order or on how they
 * were split into calls: it equals the histogram of all values binned directly with the final
 * {@code H}, and two statistics can be {@linkplain #merge merged} exactly.
 *
 * <p>Resolution: {@code H} lies in {@code (max|x|, 2 max|x|]}, so between {@code n/4} and
 * {@code n/2} bins cover {@code [0, max|x|]} and as many cover {@code [-max|x|, 0)}. The
 * histogram over {@code |x|} that entropy and percentile methods use is the fold of the two
 * halves ({@link #absoluteHistogram()}).
 *
 * <p>Not thread-safe; one calibration thread owns an instance.
 */
@JsonPropertyOrder({"numBins", "count", "nanCount", "positiveInfinityCount", "negativeInfinityCount",
        "min", "max", "rangeExponent", "firstBin", "binCounts"})
public final class TensorStatistics {

    /** The smallest range exponent: the histogram of an all-zero tensor spans {@code [-2^-126, 2^-126)}. */
    public static final int MIN_RANGE_EXPONENT = -126;

    private final int numBins;
    private final int halfBins;
    private final long[] histogram;
    private long count;
    private long nanCount;
    private long positiveInfinityCount;
    private long negativeInfinityCount;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private int rangeExponent = MIN_RANGE_EXPONENT;
    private double inverseBinWidth;
    /** {@link #inverseBinWidth} where float binning is exact, else 0. */
    private float floatInverseBinWidth;

    /**
     * Creates empty statistics.
     *
     * @param numBins histogram bins, a power of two from 4 to 2^24
     */
    public TensorStatistics(int numBins) {
        requireValidBinCount(numBins);
        this.numBins = numBins;
        this.halfBins = numBins / 2;
        this.histogram = new long[numBins];
        updateInverseBinWidth();
    }

    /** Adds the remaining values of {@code values} without moving its position. */
    public void add(FloatBuffer values) {
        if (values.hasArray()) {
            int start = values.arrayOffset() + values.position();
            add(values.array(), start, start + values.remaining());
            return;
        }
        float[] chunk = new float[Math.min(values.remaining(), 1 << 16)];
        FloatBuffer view = values.duplicate();
        while (view.hasRemaining()) {
            int length = Math.min(chunk.length, view.remaining());
            view.get(chunk, 0, length);
            add(chunk, 0, length);
        }
    }

    /** Adds {@code values[from]} to {@code values[to - 1]}. */
    public void add(float[] values, int from, int to) {
        if (from < 0 || to > values.length || from > to) {
            throw new IndexOutOfBoundsException("Range [" + from + ", " + to + ") is outside an array of length "
                    + values.length);
        }
        int next = from;
        while (next < to) {
            next = floatInverseBinWidth > 0 ? binWithFloats(values, next, to) : binWithDoubles(values, next, to);
            if (next < to) {
                addOutsideRange(values[next]);
                next++;
            }
        }
    }

    /**
     * Bins values until the first one that is NaN or outside {@code [-H, H)}, and returns its
     * index ({@code to} if none). Float arithmetic is exact here: {@code floatInverseBinWidth} is a
     * power of two of at least 1, so {@code x * floatInverseBinWidth} only shifts the exponent of
     * any in-range value. Comparisons ignore NaN, so {@code low} and {@code high} need no check.
     */
    private int binWithFloats(float[] values, int from, int to) {
        long[] bins = histogram;
        float inverseWidth = floatInverseBinWidth;
        int half = halfBins;
        int outside = ~(numBins - 1);
        float low = (float) Math.min(min, Float.MAX_VALUE);
        float high = (float) Math.max(max, -Float.MAX_VALUE);
        int index = from;
        for (; index < to; index++) {
            float value = values[index];
            int bin = half + (int) Math.floor(value * inverseWidth);
            if ((bin & outside) != 0 || value != value) {
                break;
            }
            bins[bin]++;
            low = value < low ? value : low;
            high = value > high ? value : high;
        }
        recordBinned(index - from, low, high);
        return index;
    }

    /** Like {@link #binWithFloats} with double arithmetic, which is exact for every range but slower. */
    private int binWithDoubles(float[] values, int from, int to) {
        long[] bins = histogram;
        double inverseWidth = inverseBinWidth;
        int half = halfBins;
        int outside = ~(numBins - 1);
        float low = (float) Math.min(min, Float.MAX_VALUE);
        float high = (float) Math.max(max, -Float.MAX_VALUE);
        int index = from;
        for (; index < to; index++) {
            float value = values[index];
            int bin = half + (int) Math.floor(value * inverseWidth);
            if ((bin & outside) != 0 || value != value) {
                break;
            }
            bins[bin]++;
            low = value < low ? value : low;
            high = value > high ? value : high;
        }
        recordBinned(index - from, low, high);
        return index;
    }

    private void recordBinned(int binned, float low, float high) {
        if (binned > 0) {
            count += binned;
            min = Math.min(min, low);
            max = Math.max(max, high);
        }
    }

    /** Counts a NaN or infinite value, or grows the range to bin a finite one outside it. */
    private void addOutsideRange(float value) {
        if (Float.isNaN(value)) {
            nanCount++;
        } else if (value == Float.POSITIVE_INFINITY) {
            positiveInfinityCount++;
        } else if (value == Float.NEGATIVE_INFINITY) {
            negativeInfinityCount++;
        } else {
            growToCover(Math.abs(value));
            histogram[halfBins + (int) Math.floor(value * inverseBinWidth)]++;
            count++;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
    }

    /**
     * Adds every value that {@code other} has seen, as if its values had been added here.
     *
     * @throws IllegalArgumentException if the two use different bin counts
     */
    public void merge(TensorStatistics other) {
        if (other.numBins != numBins) {
            throw new IllegalArgumentException("Cannot merge statistics with " + other.numBins + " bins into "
                    + "statistics with " + numBins + " bins; calibrate both with the same bin count");
        }
        if (other.rangeExponent > rangeExponent) {
            growTo(other.rangeExponent);
        }
        int shift = rangeExponent - other.rangeExponent;
        for (int bin = 0; bin < numBins; bin++) {
            if (other.histogram[bin] != 0) {
                histogram[rebin(bin, shift)] += other.histogram[bin];
            }
        }
        count += other.count;
        nanCount += other.nanCount;
        positiveInfinityCount += other.positiveInfinityCount;
        negativeInfinityCount += other.negativeInfinityCount;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    /** Returns an independent copy. */
    public TensorStatistics copy() {
        TensorStatistics copy = new TensorStatistics(numBins);
        copy.merge(this);
        return copy;
    }

    private void growToCover(float magnitude) {
        if (magnitude >= rangeHigh()) {
            growTo(rangeExponentFor(magnitude));
        }
    }

    /** Returns the smallest exponent {@code e >= MIN_RANGE_EXPONENT} with {@code magnitude < 2^e}. */
    static int rangeExponentFor(double magnitude) {
        if (magnitude < Math.scalb(1.0, MIN_RANGE_EXPONENT)) {
            return MIN_RANGE_EXPONENT;
        }
        return Math.getExponent(magnitude) + 1;
    }

    private void growTo(int newExponent) {
        int shift = newExponent - rangeExponent;
        long[] old = histogram.clone();
        Arrays.fill(histogram, 0);
        for (int bin = 0; bin < numBins; bin++) {
            if (old[bin] != 0) {
                histogram[rebin(bin, shift)] += old[bin];
            }
        }
        rangeExponent = newExponent;
        updateInverseBinWidth();
    }

    /** Returns the bin that {@code bin} falls into after the range grows by {@code 2^shift}. */
    private int rebin(int bin, int shift) {
        int offset = bin - halfBins;
        if (shift < 31) {
            return halfBins + (offset >> shift);
        }
        return offset < 0 ? halfBins - 1 : halfBins;
    }

    private void updateInverseBinWidth() {
        inverseBinWidth = 1.0 / binWidth();
        boolean floatExact = inverseBinWidth >= 1 && inverseBinWidth <= Math.scalb(1.0, Float.MAX_EXPONENT);
        floatInverseBinWidth = floatExact ? (float) inverseBinWidth : 0;
    }

    /** Number of finite values added. */
    @JsonProperty("count")
    public long count() {
        return count;
    }

    @JsonProperty("nanCount")
    public long nanCount() {
        return nanCount;
    }

    @JsonProperty("positiveInfinityCount")
    public long positiveInfinityCount() {
        return positiveInfinityCount;
    }

    @JsonProperty("negativeInfinityCount")
    public long negativeInfinityCount() {
        return negativeInfinityCount;
    }

    /** Smallest finite value added; {@code +Infinity} while none was. */
    @JsonProperty("min")
    public double min() {
        return min;
    }

    /** Largest finite value added; {@code -Infinity} while none was. */
    @JsonProperty("max")
    public double max() {
        return max;
    }

    @JsonProperty("numBins")
    public int numBins() {
        return numBins;
    }

    /** Returns the exponent {@code e} of the histogram range {@code [-2^e, 2^e)}. */
    @JsonProperty("rangeExponent")
    public int rangeExponent() {
        return rangeExponent;
    }

    /** Returns the upper end {@code H} of the histogram range {@code [-H, H)}. */
    public double rangeHigh() {
        return Math.scalb(1.0, rangeExponent);
    }

    public double binWidth() {
        return Math.scalb(1.0, rangeExponent + 1) / numBins;
    }

    /** Returns the lower edge of {@code bin}. Bin {@code numBins / 2} starts at zero. */
    public double binLowEdge(int bin) {
        return (bin - halfBins) * binWidth();
    }

    /** Returns a copy of the signed histogram, whose bin 0 starts at {@code -H}. */
    public long[] histogram() {
        return histogram.clone();
    }

    /**
     * Returns the histogram of {@code |x|}: {@code numBins / 2} bins of width {@link #binWidth()} from zero,
     * bin {@code j} holding the signed bins {@code [jw, (j+1)w)} and {@code [-(j+1)w, -jw)}.
     */
    public long[] absoluteHistogram() {
        long[] absolute = new long[halfBins];
        for (int j = 0; j < halfBins; j++) {
            absolute[j] = histogram[halfBins + j] + histogram[halfBins - 1 - j];
        }
        return absolute;
    }

    /** Returns the histogram of the values {@code >= 0}, bin {@code j} covering {@code [jw, (j+1)w)}. */
    public long[] positiveHistogram() {
        return Arrays.copyOfRange(histogram, halfBins, numBins);
    }

    /** Returns the histogram of the negated values {@code < 0}, bin {@code j} covering {@code -x} in {@code (jw, (j+1)w]}. */
    public long[] negativeHistogram() {
        long[] negative = new long[halfBins];
        for (int j = 0; j < halfBins; j++) {
            negative[j] = histogram[halfBins - 1 - j];
        }
        return negative;
    }

    /** Index of the first non-empty bin, for JSON; {@code numBins} if the histogram is empty. */
    @JsonProperty("firstBin")
    int firstBin() {
        int first = 0;
        while (first < numBins && histogram[first] == 0) {
            first++;
        }
        return first;
    }

    /** Counts from {@link #firstBin()} to the last non-empty bin, for JSON. */
    @JsonProperty("binCounts")
    long[] binCounts() {
        int first = firstBin();
        int last = numBins - 1;
        while (last >= first && histogram[last] == 0) {
            last--;
        }
        return Arrays.copyOfRange(histogram, first, last + 1);
    }

    /**
     * Restores statistics written as JSON.
     *
     * @throws IllegalArgumentException if the fields contradict each other
     */
    @JsonCreator
    static TensorStatistics restore(@JsonProperty("numBins") int numBins,
                                    @JsonProperty("count") long count,
                                    @JsonProperty("nanCount") long nanCount,
                                    @JsonProperty("positiveInfinityCount") long positiveInfinityCount,
                                    @JsonProperty("negativeInfinityCount") long negativeInfinityCount,
                                    @JsonProperty("min") double min,
                                    @JsonProperty("max") double max,
                                    @JsonProperty("rangeExponent") int rangeExponent,
                                    @JsonProperty("firstBin") int firstBin,
                                    @JsonProperty("binCounts") long[] binCounts) {
        TensorStatistics statistics = new TensorStatistics(numBins);
        long[] counts = binCounts == null ? new long[0] : binCounts;
        if (firstBin < 0 || firstBin + counts.length > numBins) {
            throw new IllegalArgumentException("Histogram bins " + firstBin + " to " + (firstBin + counts.length - 1)
                    + " lie outside the " + numBins + " bins");
        }
        if (rangeExponent < MIN_RANGE_EXPONENT) {
            throw new IllegalArgumentException("rangeExponent " + rangeExponent + " is below the minimum "
                    + MIN_RANGE_EXPONENT);
        }
        System.arraycopy(counts, 0, statistics.histogram, firstBin, counts.length);
        long binned = Arrays.stream(counts).sum();
        if (binned != count) {
            throw new IllegalArgumentException("The histogram contains " + binned + " values, but count is " + count);
        }
        statistics.count = count;
        statistics.nanCount = nanCount;
        statistics.positiveInfinityCount = positiveInfinityCount;
        statistics.negativeInfinityCount = negativeInfinityCount;
        statistics.min = min;
        statistics.max = max;
        statistics.rangeExponent = rangeExponent;
        statistics.updateInverseBinWidth();
        return statistics;
    }

    static void requireValidBinCount(int numBins) {
        if (numBins < 4 || numBins > (1 << 24) || Integer.bitCount(numBins) != 1) {
            throw new IllegalArgumentException("numBins is " + numBins + "; it must be a power of two from 4 to "
                    + (1 << 24) + ", e.g. 4096");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorStatistics that
                && numBins == that.numBins
                && count == that.count
                && nanCount == that.nanCount
                && positiveInfinityCount == that.positiveInfinityCount
                && negativeInfinityCount == that.negativeInfinityCount
                && Double.compare(min, that.min) == 0
                && Double.compare(max, that.max) == 0
                && rangeExponent == that.rangeExponent
                && Arrays.equals(histogram, that.histogram);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(histogram) + Long.hashCode(count) + Double.hashCode(min) + Double.hashCode(max);
    }

    @Override
    public String toString() {
        return "TensorStatistics[count=" + count + ", min=" + min + ", max=" + max + ", nan=" + nanCount
                + ", +inf=" + positiveInfinityCount + ", -inf=" + negativeInfinityCount + ", range=[-2^"
                + rangeExponent + ", 2^" + rangeExponent + "), bins=" + numBins + "]";
    }
}
