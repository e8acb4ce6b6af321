package dev.quantfleet.engine.calibration;

/**
 * Chooses the range that minimizes the expected squared quantization error, estimated from the
 * histogram. For a range {@code [-a, b]} quantized with {@code 2^bits} levels, the step is
 * {@code D = (a + b) / (2^bits - 1)} and the expected error of all values is
 * <pre>
 *   E(a, b) = n_inside * D^2 / 12                    rounding: uniform error in [-D/2, D/2]
 *           + sum over bins above b  of n_j (c_j - b)^2   clipping at the top
 *           + sum over bins below -a of n_j (c_j + a)^2   clipping at the bottom
 * </pre>
 * where {@code c_j} is the center of bin {@code j} and {@code n_j} its count. Thresholds are
 * searched on bin edges, so each bin is wholly inside or clipped; prefix sums of
 * {@code n}, {@code n c} and {@code n c^2} make each evaluation {@code O(1)}.
 *
 * <ul>
 *   <li>Symmetric: {@code a = b = t} over the histogram of {@code |x|}; every edge is tried.</li>
 *   <li>Asymmetric with values of one sign only: the empty side stays at zero and the other
 *       threshold is searched over every edge.</li>
 *   <li>Asymmetric with both signs: coordinate descent from {@code [min, max]}, alternately
 *       choosing the best {@code b} for the current {@code a} and the best {@code a} for the
 *       current {@code b}, until neither changes (at most {@link #MAX_ROUNDS} rounds). This finds
 *       a local minimum, which is the global one for unimodal error curves.</li>
 * </ul>
 * The result is clamped to the observed {@code [min, max]}.
 */
final class MseThreshold {

    static final int MAX_ROUNDS = 32;

    private MseThreshold() {
    }

    static Range range(TensorStatistics statistics, int bits, boolean symmetric) {
        double width = statistics.binWidth();
        double steps = Math.pow(2, bits) - 1;
        if (symmetric) {
            int best = bestSymmetricEdge(new Side(statistics.absoluteHistogram(), width), steps);
            return RangeEstimator.symmetricRange(
                    Math.min(best * width, RangeEstimator.maxMagnitude(statistics)));
        }
        Side positive = new Side(statistics.positiveHistogram(), width);
        Side negative = new Side(statistics.negativeHistogram(), width);
        int high = positive.usedBins();
        int low = negative.usedBins();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int newHigh = positive.usedBins() == 0 ? 0 : bestEdge(positive, negative, low, steps);
            int newLow = negative.usedBins() == 0 ? 0 : bestEdge(negative, positive, newHigh, steps);
            boolean converged = newHigh == high && newLow == low;
            high = newHigh;
            low = newLow;
            if (converged) {
                break;
            }
        }
        return RangeEstimator.clampedRange(statistics,
                statistics.min() < 0 ? -low * width : statistics.min(),
                statistics.max() > 0 ? high * width : statistics.max());
    }

    /** Finds the edge {@code k} of the {@code |x|} histogram whose range {@code [-k w, k w]} has the smallest expected error. */
    private static int bestSymmetricEdge(Side magnitudes, double steps) {
        int used = magnitudes.usedBins();
        int best = used;
        double bestError = Double.POSITIVE_INFINITY;
        for (int edge = 1; edge <= used; edge++) {
            double step = 2 * edge * magnitudes.width / steps;
            double error = magnitudes.insideCount(edge) * step * step / 12 + magnitudes.clippingError(edge);
            if (error < bestError) {
                bestError = error;
                best = edge;
            }
        }
        return best;
    }

    /**
     * Finds the edge {@code k} (threshold {@code k w}) of {@code side} with the smallest expected
     * error while the other side is clipped at {@code otherEdge}. The smallest edge wins ties.
     */
    private static int bestEdge(Side side, Side other, int otherEdge, double steps) {
        int used = side.usedBins();
        double width = side.width;
        double otherThreshold = otherEdge * width;
        long otherInside = other.insideCount(otherEdge);
        double otherClipping = other.clippingError(otherEdge);
        int best = used;
        double bestError = Double.POSITIVE_INFINITY;
        for (int edge = 1; edge <= used; edge++) {
            double step = (edge * width + otherThreshold) / steps;
            long inside = side.insideCount(edge) + otherInside;
            double error = inside * step * step / 12 + side.clippingError(edge) + otherClipping;
            if (error < bestError) {
                bestError = error;
                best = edge;
            }
        }
        return best;
    }

    /** One side of the histogram with prefix sums over bins {@code [0, k)}. */
    private static final class Side {

        final double width;
        private final long[] countBelow;
        private final double[] momentBelow;
        private final double[] squareBelow;

        Side(long[] counts, double width) {
            this.width = width;
            int used = counts.length;
            while (used > 0 && counts[used - 1] == 0) {
                used--;
            }
            countBelow = new long[used + 1];
            momentBelow = new double[used + 1];
            squareBelow = new double[used + 1];
            for (int bin = 0; bin < used; bin++) {
                double center = (bin + 0.5) * width;
                countBelow[bin + 1] = countBelow[bin] + counts[bin];
                momentBelow[bin + 1] = momentBelow[bin] + counts[bin] * center;
                squareBelow[bin + 1] = squareBelow[bin] + counts[bin] * center * center;
            }
        }

        int usedBins() {
            return countBelow.length - 1;
        }

        long insideCount(int edge) {
            return countBelow[Math.min(edge, usedBins())];
        }

        /** {@code sum n_j (c_j - t)^2} over bins {@code j >= edge}, with {@code t = edge w}. */
        double clippingError(int edge) {
            int used = usedBins();
            if (edge >= used) {
                return 0;
            }
            double threshold = edge * width;
            double count = countBelow[used] - countBelow[edge];
            double moment = momentBelow[used] - momentBelow[edge];
            double square = squareBelow[used] - squareBelow[edge];
            return Math.max(0, square - 2 * threshold * moment + threshold * threshold * count);
        }
    }
}
