package dev.quantfleet.engine.calibration;

/**
 * Chooses a clipping threshold by KL divergence, following the idea of TensorRT's entropy
 * calibration, over a one-sided histogram {@code h} of magnitudes (bin {@code j} covers
 * {@code [j w, (j+1) w)}) and a number of quantization levels {@code L}.
 *
 * <p>For every candidate bin count {@code i} from {@code F + L} to {@code N} (the last non-empty
 * bin plus one):
 * <ol>
 *   <li>The reference distribution {@code P} is {@code h[0..i)} with the outliers
 *       {@code sum(h[i..N))} added to its last bin, i.e. the values clipped at {@code i w}.</li>
 *   <li>{@code h[0..i)} is merged into {@code L} groups of consecutive bins (group {@code g} covers
 *       bins {@code floor(g i / L)} to {@code floor((g+1) i / L) - 1}), modelling quantization
 *       with {@code L} levels over {@code [0, i w)}. Each group's count is spread evenly over its
 *       bins where {@code P} is non-zero, giving the candidate distribution {@code Q}.</li>
 *   <li>Both are normalized and {@code KL(P || Q) = sum P_j ln(P_j / Q_j)} is computed over
 *       {@code P_j > 0}; a {@code Q_j} of zero where {@code P_j > 0} counts as
 *       {@link #EPSILON}, which makes that candidate very unlikely to win.</li>
 * </ol>
 * The candidate with the smallest divergence wins, the smallest {@code i} on ties, and the
 * threshold is {@code i w}. To bound the cost, at most {@link #MAX_CANDIDATES} evenly spaced
 * candidates are tried (always including {@code N}), so one search takes
 * {@code O(MAX_CANDIDATES * N)} steps.
 *
 * <p>Candidates start at {@code F + L}, where {@code F} is the first non-empty bin, not at
 * {@code L}: every candidate keeps at least {@code L} bins of the data's own span. A histogram
 * that starts far from zero (a variance, a value shifted by a constant) otherwise has a
 * candidate that clips everything into bin {@code F}, where P and Q are the same single spike,
 * the divergence is 0, and the range collapses to one value; TensorRT's search, which starts
 * at {@code L}, has that case too. With {@code N <= F + L} nothing needs clipping and the
 * threshold is {@code N w}.
 */
final class EntropyThreshold {

    static final double EPSILON = 1e-12;
    static final int MAX_CANDIDATES = 1024;

    private EntropyThreshold() {
    }

    /**
     * Returns the number of bins {@code i} to keep; the threshold is {@code i} bin widths.
     *
     * @param histogram one-sided magnitude histogram
     * @param levels    quantization levels {@code L}, at least 1
     */
    static int threshold(long[] histogram, int levels) {
        int used = histogram.length;
        while (used > 0 && histogram[used - 1] == 0) {
            used--;
        }
        int first = 0;
        while (first < used && histogram[first] == 0) {
            first++;
        }
        int smallest = first + levels;
        if (used <= smallest) {
            return used;
        }
        int span = used - smallest;
        int step = Math.max(1, (span + MAX_CANDIDATES - 1) / MAX_CANDIDATES);
        long[] suffixCounts = new long[used + 1];
        for (int bin = used - 1; bin >= 0; bin--) {
            suffixCounts[bin] = suffixCounts[bin + 1] + histogram[bin];
        }
        int best = used;
        double bestDivergence = Double.POSITIVE_INFINITY;
        for (int candidate = smallest; candidate <= used; candidate = nextCandidate(candidate, step, used)) {
            double divergence = divergence(histogram, candidate, levels, suffixCounts[candidate]);
            if (divergence < bestDivergence) {
                bestDivergence = divergence;
                best = candidate;
            }
        }
        return best;
    }

    private static int nextCandidate(int candidate, int step, int used) {
        if (candidate == used) {
            return used + 1;
        }
        return Math.min(candidate + step, used);
    }

    /** Computes KL(P || Q) for keeping {@code kept} bins with {@code levels} quantization levels. */
    static double divergence(long[] histogram, int kept, int levels, long outliers) {
        double[] reference = new double[kept];
        for (int bin = 0; bin < kept; bin++) {
            reference[bin] = histogram[bin];
        }
        reference[kept - 1] += outliers;

        double[] candidate = new double[kept];
        for (int group = 0; group < levels; group++) {
            int start = (int) ((long) group * kept / levels);
            int end = (int) ((long) (group + 1) * kept / levels);
            double groupCount = 0;
            int nonZero = 0;
            for (int bin = start; bin < end; bin++) {
                groupCount += histogram[bin];
                if (reference[bin] > 0) {
                    nonZero++;
                }
            }
            if (nonZero == 0) {
                continue;
            }
            double share = groupCount / nonZero;
            for (int bin = start; bin < end; bin++) {
                if (reference[bin] > 0) {
                    candidate[bin] = share;
                }
            }
        }
        return klDivergence(reference, candidate);
    }

    private static double klDivergence(double[] reference, double[] candidate) {
        double referenceTotal = 0;
        double candidateTotal = 0;
        for (int bin = 0; bin < reference.length; bin++) {
            referenceTotal += reference[bin];
            candidateTotal += candidate[bin];
        }
        if (referenceTotal == 0 || candidateTotal == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double divergence = 0;
        for (int bin = 0; bin < reference.length; bin++) {
            if (reference[bin] == 0) {
                continue;
            }
            double p = reference[bin] / referenceTotal;
            double q = Math.max(candidate[bin] / candidateTotal, EPSILON);
            divergence += p * Math.log(p / q);
        }
        return divergence;
    }
}
