package dev.quantfleet.benchmarks;

/**
 * The audio suite's measurements of one row.
 *
 * @param row     the model
 * @param quality its scores against the labels and against fp32
 * @param runMs   every timed single-clip run, in milliseconds
 */
record AudioMeasurement(AudioRow row, WakeWordScores.Quality quality, double[] runMs) {

    double medianMs() {
        return Distribution.quantileOf(runMs, 0.5);
    }

    double p10Ms() {
        return Distribution.quantileOf(runMs, 0.1);
    }

    double p90Ms() {
        return Distribution.quantileOf(runMs, 0.9);
    }
}
