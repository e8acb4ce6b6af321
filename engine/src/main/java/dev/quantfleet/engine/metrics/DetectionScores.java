package dev.quantfleet.engine.metrics;

import java.util.Arrays;

/**
 * Scores of a binary detector (a wake word model, a classifier's positive-class probability) on
 * labelled samples, and the threshold-free measures of how well they separate positives from
 * negatives. A sample counts as detected at threshold {@code t} when its score is at least
 * {@code t}.
 *
 * <p>Any NaN score makes every measure NaN, so that a broken candidate ranks last instead of
 * landing on an arbitrary side of the threshold.
 */
public final class DetectionScores {

    /** Two-sided 95 % quantile of the standard normal distribution. */
    private static final double Z_95 = 1.959963984540054;

    private final double[] positives;
    private final double[] negatives;
    private final boolean anyNaN;

    private DetectionScores(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("Detection scores need at least one positive and one negative sample, "
                    + "but there are " + positives.length + " positives and " + negatives.length + " negatives");
        }
        this.positives = positives.clone();
        this.negatives = negatives.clone();
        this.anyNaN = Arrays.stream(positives).anyMatch(Double::isNaN) || Arrays.stream(negatives).anyMatch(Double::isNaN);
        Arrays.sort(this.positives);
        Arrays.sort(this.negatives);
    }

    /**
     * Splits {@code scores} by {@code labels}: 1 marks a positive sample, 0 a negative one.
     *
     * @throws IllegalArgumentException if the lengths differ, a label is neither 0 nor 1, or
     *                                  either class has no sample
     */
    public static DetectionScores of(double[] scores, long[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("There are " + scores.length + " scores and " + labels.length
                    + " labels; give one label per score");
        }
        int positiveCount = 0;
        for (int index = 0; index < labels.length; index++) {
            if (labels[index] != 0 && labels[index] != 1) {
                throw new IllegalArgumentException("Label " + labels[index] + " of sample " + (index + 1) + " is "
                        + "invalid; detection labels must be 1 (positive) or 0 (negative)");
            }
            positiveCount += (int) labels[index];
        }
        double[] positives = new double[positiveCount];
        double[] negatives = new double[labels.length - positiveCount];
        int positive = 0;
        int negative = 0;
        for (int index = 0; index < labels.length; index++) {
            if (labels[index] == 1) {
                positives[positive++] = scores[index];
            } else {
                negatives[negative++] = scores[index];
            }
        }
        return new DetectionScores(positives, negatives);
    }

    /**
     * Returns the scores of positive and negative samples.
     *
     * @throws IllegalArgumentException if either array is empty
     */
    public static DetectionScores of(double[] positives, double[] negatives) {
        return new DetectionScores(positives, negatives);
    }

    public int positiveCount() {
        return positives.length;
    }

    public int negativeCount() {
        return negatives.length;
    }

    /**
     * Returns the area under the ROC curve: the probability that a random positive scores above
     * a random negative, a tie counting one half (the Mann-Whitney U statistic divided by
     * {@code positives * negatives}). Computed from mid-ranks over the pooled, sorted scores in
     * O(n log n). In [0, 1]; 0.5 is chance, 1 a perfect separation.
     */
    public double rocAuc() {
        if (anyNaN) {
            return Double.NaN;
        }
        double positivesAboveNegatives = 0;
        int below = 0;
        for (int start = 0; start < positives.length; ) {
            double score = positives[start];
            int end = start;
            while (end < positives.length && positives[end] == score) {
                end++;
            }
            while (below < negatives.length && negatives[below] < score) {
                below++;
            }
            int tied = below;
            while (tied < negatives.length && negatives[tied] == score) {
                tied++;
            }
            positivesAboveNegatives += (end - start) * (below + 0.5 * (tied - below));
            start = end;
        }
        return positivesAboveNegatives / ((double) positives.length * negatives.length);
    }

    /**
     * Returns the detection rate at zero false accepts: the share of positives that score
     * strictly above the highest negative score. That is the true positive rate at the lowest
     * threshold that accepts no negative, so a positive tied with the highest negative counts
     * as missed. In [0, 1].
     */
    public double detectionRateAtZeroFalseAccepts() {
        if (anyNaN) {
            return Double.NaN;
        }
        double highestNegative = negatives[negatives.length - 1];
        int detected = 0;
        for (double score : positives) {
            detected += score > highestNegative ? 1 : 0;
        }
        return detected / (double) positives.length;
    }

    /** Returns the highest score of a negative sample, the threshold that {@link #detectionRateAtZeroFalseAccepts} must beat. */
    public double highestNegativeScore() {
        return anyNaN ? Double.NaN : negatives[negatives.length - 1];
    }

    /**
     * Returns the standard error of {@link #rocAuc()} by Hanley and McNeil (Radiology 143, 1982):
     * with {@code A} the AUC, {@code Q1 = A / (2 - A)} and {@code Q2 = 2A² / (1 + A)},
     * {@code SE² = (A(1 - A) + (P - 1)(Q1 - A²) + (N - 1)(Q2 - A²)) / (P N)} for {@code P}
     * positives and {@code N} negatives. The formula assumes scores whose ROC curve is that of two
     * exponential distributions, so it is an approximation. It gives 0 at AUC 1.
     */
    public double rocAucStandardError() {
        double auc = rocAuc();
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        double variance = (auc * (1 - auc) + (positives.length - 1) * (q1 - auc * auc)
                + (negatives.length - 1) * (q2 - auc * auc)) / ((double) positives.length * negatives.length);
        return Math.sqrt(Math.max(0, variance));
    }

    /** Returns the 95 % confidence interval of {@link #rocAuc()} as {@code [low, high]}: AUC ± 1.96 standard errors, clipped to [0, 1]. */
    public double[] rocAucConfidenceInterval95() {
        double auc = rocAuc();
        double margin = Z_95 * rocAucStandardError();
        return new double[] {Math.max(0, auc - margin), Math.min(1, auc + margin)};
    }
}
