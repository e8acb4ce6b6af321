package dev.quantfleet.benchmarks;

import java.util.Arrays;

/**
 * Summary of repeated measurements of one quantity: count, minimum, quartiles, median and
 * maximum. Quantiles interpolate linearly between the two nearest order statistics, as numpy's
 * default {@code percentile} does: quantile {@code q} of {@code n} sorted values lies at
 * position {@code q * (n - 1)}.
 */
public record Distribution(int count, double min, double p25, double median, double p75, double max) {

    /**
     * Summarizes {@code values}.
     *
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Distribution of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("No measurements to summarize; run at least one repetition");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Distribution(sorted.length, sorted[0], quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), sorted[sorted.length - 1]);
    }

    /** Returns quantile {@code q} in [0, 1] of {@code values}, interpolated as the class comment describes. */
    public static double quantileOf(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("No measurements to take quantile " + q + " of");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return quantile(sorted, q);
    }

    /** Quantile {@code q} in [0, 1] of already sorted values. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    /** Formats the median and spread with {@code decimals} decimals, e.g. {@code 12.3 (IQR 12.0–12.9, range 11.8–15.1)}. */
    public String describe(int decimals) {
        String number = "%." + decimals + "f";
        return String.format(number + " (IQR " + number + "–" + number + ", range " + number + "–" + number + ")",
                median, p25, p75, min, max);
    }
}
