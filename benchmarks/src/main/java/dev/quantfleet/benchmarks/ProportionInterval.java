package dev.quantfleet.benchmarks;

/**
 * A 95 % confidence interval of a proportion, such as Recall@1 over {@code n} independent
 * queries, from the binomial distribution by the Wilson score method:
 * {@code (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)} with {@code z = 1.96}. Unlike
 * {@code p ± z·SE}, it stays inside [0, 1] and does not shrink to zero width at p = 0 or 1.
 *
 * @param proportion    the measured share p
 * @param count         n, the number of trials
 * @param standardError {@code sqrt(p(1-p)/n)}, the binomial standard error of p
 * @param low           lower end of the interval
 * @param high          upper end of the interval
 */
record ProportionInterval(double proportion, int count, double standardError, double low, double high) {

    /** The standard normal quantile for a two-sided 95 % interval. */
    static final double Z_95 = 1.959964;

    /**
     * Returns the interval of {@code proportion} measured over {@code count} trials.
     *
     * @throws IllegalArgumentException if {@code count < 1} or the proportion is outside [0, 1]
     */
    static ProportionInterval wilson95(double proportion, int count) {
        if (count < 1 || !(proportion >= 0 && proportion <= 1)) {
            throw new IllegalArgumentException("A proportion interval needs a share in [0, 1] and at least one trial; "
                    + "got " + proportion + " over " + count);
        }
        double z2 = Z_95 * Z_95;
        double center = proportion + z2 / (2.0 * count);
        double spread = Z_95 * Math.sqrt(proportion * (1 - proportion) / count + z2 / (4.0 * count * count));
        double scale = 1 + z2 / count;
        return new ProportionInterval(proportion, count, Math.sqrt(proportion * (1 - proportion) / count),
                (center - spread) / scale, (center + spread) / scale);
    }
}
