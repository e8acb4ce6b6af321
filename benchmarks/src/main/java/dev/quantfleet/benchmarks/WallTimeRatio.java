package dev.quantfleet.benchmarks;

/** Ratios of two wall times and their check against a goal such as "at most 1.1 x". */
final class WallTimeRatio {

    private WallTimeRatio() {
    }

    /**
     * Returns {@code numeratorMs / denominatorMs}.
     *
     * @throws IllegalArgumentException if {@code denominatorMs} is not positive, since a wall time
     *                                  of 0 ms or less means the timer did not run
     */
    static double of(long numeratorMs, long denominatorMs) {
        if (denominatorMs <= 0) {
            throw new IllegalArgumentException("The reference wall time is " + denominatorMs
                    + " ms; a ratio needs a positive one, so time a run that takes at least 1 ms");
        }
        return numeratorMs / (double) denominatorMs;
    }

    /** Returns whether {@code ratio}, rounded to the two decimals that {@link #format} prints, is at most {@code goal}. */
    static boolean meets(double ratio, double goal) {
        return Math.round(ratio * 100) <= Math.round(goal * 100);
    }

    /** Formats {@code ratio} with two decimals, e.g. {@code 1.07}. */
    static String format(double ratio) {
        return String.format("%.2f", ratio);
    }
}
