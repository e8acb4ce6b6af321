package dev.quantfleet.benchmarks;

import java.util.Arrays;
import java.util.Random;

/**
 * A 95 % confidence interval around a measured rate.
 *
 * @param low  lower bound
 * @param high upper bound
 */
record ConfidenceInterval(double low, double high) {

    /** The normal quantile of a two-sided 95 % interval. */
    private static final double Z_95 = 1.959964;

    /**
     * Returns the Wilson score interval of a binomial proportion, {@code successes} of {@code trials}:
     * {@code (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)}, which stays inside [0, 1]
     * and keeps a width near p = 0 or 1, where the normal approximation collapses to a point.
     */
    static ConfidenceInterval wilson(long successes, long trials) {
        if (trials <= 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " successes of " + trials + " trials; trials must be "
                    + "positive and successes between 0 and trials");
        }
        double n = trials;
        double p = successes / n;
        double z2 = Z_95 * Z_95;
        double center = (p + z2 / (2 * n)) / (1 + z2 / n);
        double halfWidth = Z_95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new ConfidenceInterval(Math.max(0, center - halfWidth), Math.min(1, center + halfWidth));
    }

    /**
     * Returns the percentile bootstrap interval of the ratio {@code sum(numerators) / sum(denominators)}
     * over samples drawn with replacement ({@code resamples} times, seeded): the 2.5th and 97.5th
     * percentiles of the resampled ratios. For a character error rate, the numerators are the edit
     * distances and the denominators the reference lengths of the lines. A resample whose
     * denominators sum to 0 is drawn again.
     */
    static ConfidenceInterval bootstrapRatio(int[] numerators, int[] denominators, int resamples, long seed) {
        if (numerators.length != denominators.length || numerators.length == 0) {
            throw new IllegalArgumentException(numerators.length + " numerators and " + denominators.length
                    + " denominators; give one of each per sample, at least one sample");
        }
        if (Arrays.stream(denominators).allMatch(denominator -> denominator == 0)) {
            throw new IllegalArgumentException("Every denominator is 0, so the ratio is undefined");
        }
        Random random = new Random(seed);
        double[] ratios = new double[resamples];
        int count = numerators.length;
        for (int resample = 0; resample < resamples; resample++) {
            long numerator = 0;
            long denominator = 0;
            while (denominator == 0) {
                numerator = 0;
                for (int draw = 0; draw < count; draw++) {
                    int sample = random.nextInt(count);
                    numerator += numerators[sample];
                    denominator += denominators[sample];
                }
            }
            ratios[resample] = (double) numerator / denominator;
        }
        Arrays.sort(ratios);
        return new ConfidenceInterval(Distribution.quantile(ratios, 0.025), Distribution.quantile(ratios, 0.975));
    }

    /** Formats the interval as {@code [0.123, 0.145]} with {@code decimals} decimals. */
    String format(int decimals) {
        return String.format("[%." + decimals + "f, %." + decimals + "f]", low, high);
    }
}
