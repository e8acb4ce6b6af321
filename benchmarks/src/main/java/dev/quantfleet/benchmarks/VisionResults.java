package dev.quantfleet.benchmarks;

import java.util.List;

/**
 * Measurements of one vision suite run, as written to {@code vision.json}.
 *
 * @param settings   line counts, trial budget and the other knobs of the run
 * @param machine    where it ran
 * @param recognizer one row per recognizer model
 * @param classifier one row per classifier model
 * @param targets    each target ratio, measured against its limit
 */
record VisionResults(VisionSuite.Settings settings, MachineDescription machine, List<RecognizerRow> recognizer,
                     List<ClassifierRow> classifier, List<Target> targets) {

    /**
     * A recognizer model and its scores on the clean and the hard lines.
     *
     * @param name       row name, e.g. {@code fp32}
     * @param origin     how the model was made
     * @param sizeBytes  serialized model size
     * @param sha256     SHA-256 of the serialized model, lower-case hex
     * @param clean      scores on the clean lines
     * @param hard       scores on the hard lines
     * @param latency    single-line latency on hard lines
     * @param search     what the search cost and kept; null for rows that no search made
     */
    record RecognizerRow(String name, String origin, long sizeBytes, String sha256, RecognizerSet clean,
                         RecognizerSet hard, LatencyMs latency, SearchFacts search) {
    }

    /**
     * Recognizer scores on one set of lines; intervals are 95 %: bootstrap for the character
     * error rate, Wilson for exact match.
     */
    record RecognizerSet(int lines, double cer, double cerLow, double cerHigh, double exactMatch, double exactMatchLow,
                         double exactMatchHigh, double meanFrameCosine, double frameAgreement, int linesAsFp32) {

        static RecognizerSet of(RecognizerQuality quality) {
            ConfidenceInterval cer = quality.characterErrorRateInterval();
            ConfidenceInterval exact = quality.exactMatchInterval();
            return new RecognizerSet(quality.errors().sampleCount(), quality.characterErrorRate(), cer.low(), cer.high(),
                    quality.exactMatch(), exact.low(), exact.high(), quality.meanFrameCosine(), quality.frameAgreement(),
                    quality.linesAsFp32());
        }
    }

    /** A classifier model and its scores on the clean and the hard lines; see {@link RecognizerRow}. */
    record ClassifierRow(String name, String origin, long sizeBytes, String sha256, ClassifierSet clean,
                         ClassifierSet hard, LatencyMs latency, SearchFacts search) {
    }

    /**
     * Classifier scores on one set of lines, every second line turned; the interval is 95 % Wilson.
     *
     * @param agreement          share of lines whose predicted orientation equals fp32's
     * @param meanAbsoluteChange mean |p(180) - fp32's p(180)|
     */
    record ClassifierSet(int lines, double accuracy, double accuracyLow, double accuracyHigh, double agreement,
                         double meanAbsoluteChange) {

        static ClassifierSet of(ClassifierQuality quality) {
            ConfidenceInterval interval = quality.accuracyInterval();
            return new ClassifierSet(quality.lines(), quality.accuracy(), interval.low(), interval.high(),
                    quality.agreement(), quality.meanAbsoluteChange());
        }
    }

    /** Median, 10th and 90th percentile of single-line runs, in milliseconds. */
    record LatencyMs(double median, double p10, double p90) {

        static LatencyMs of(LatencyMeasurement.Latencies latencies) {
            double[] runs = latencies.runMs();
            return new LatencyMs(Distribution.quantileOf(runs, 0.5), Distribution.quantileOf(runs, 0.1),
                    Distribution.quantileOf(runs, 0.9));
        }
    }

    /**
     * Cost of a search and the nodes its winner kept in higher precision.
     *
     * @param wallTimeMs             wall time of the search command or call
     * @param candidatesEvaluated    EVALUATE and SENSITIVITY tasks run
     * @param nodesInHigherPrecision nodes the winner kept in float or int16
     * @param winner                 the winner's configuration in one line
     * @param acceptable             whether the winner meets the goal on the search's own data
     */
    record SearchFacts(long wallTimeMs, int candidatesEvaluated, int nodesInHigherPrecision, String winner,
                       boolean acceptable) {
    }

    /**
     * One target ratio.
     *
     * @param target   what is compared, in words
     * @param measured the measured value
     * @param limit    the limit it must meet
     * @param met      whether it meets it
     */
    record Target(String target, String measured, String limit, boolean met) {
    }
}
