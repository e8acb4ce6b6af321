package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.metrics.VectorSimilarity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Fidelity of a candidate's float outputs to the float model's outputs on the same samples.
 * Outputs are matched by graph output name and must have equal shapes; integer outputs never
 * take part. All sums run in double precision.
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>name</th><th>definition</th><th>direction</th></tr>
 *   <tr><td>{@value #COSINE}</td><td>mean, over every (sample, float output) pair, of the cosine
 *       between the flattened reference and candidate tensors; two all-zero tensors count as 1,
 *       one all-zero tensor against a non-zero one as 0</td><td>higher is better</td></tr>
 *   <tr><td>{@value #MSE}</td><td>sum of {@code (ref - cand)^2} over every element of every float
 *       output of every sample, divided by the number of those elements</td><td>lower is better</td></tr>
 *   <tr><td>{@value #SQNR}</td><td>{@code 10 * log10(sum ref^2 / sum (ref - cand)^2)} in dB, both
 *       sums over everything as for MSE, clamped to [{@code -MAX_SQNR_DB}, {@link #MAX_SQNR_DB}]
 *       (see below)</td><td>higher is better</td></tr>
 *   <tr><td>{@value #TOP1}</td><td>share of rows whose argmax over the last axis is equal in the
 *       reference and the candidate, over every row of every class-score output of every sample:
 *       a float output whose last axis has at least 2 entries and that is either a distribution
 *       (see {@value #KL}) or of rank 2 or less ({@code [batch, classes]} logits). Hidden states
 *       such as {@code [batch, tokens, features]} are left out, because the largest feature of a
 *       token is not a class. Not computed when no output qualifies. The first maximum wins ties</td>
 *       <td>higher is better</td></tr>
 *   <tr><td>{@value #KL}</td><td>mean, over every row of every distribution output of every
 *       sample, of {@code sum p * ln(p / max(q, KL_PROBABILITY_FLOOR))} with {@code p} the
 *       reference row, {@code q} the candidate row and terms with {@code p = 0} left out; in nats.
 *       An output is a distribution when every reference row of it, in every sample, has all
 *       values in [0, 1] and sums to 1 within {@link #DISTRIBUTION_SUM_TOLERANCE}. Not computed
 *       when no output is a distribution</td><td>lower is better</td></tr>
 * </table>
 *
 * <p>Identical outputs have an infinite SQNR. Metrics are stored as finite numbers so that they
 * survive JSON and the subtraction in {@link MetricDirection#drop}, so SQNR is clamped to
 * {@link #MAX_SQNR_DB}, far above the about 146 dB that float32 rounding alone gives
 * ({@code 6.02 * 24 + 1.76}). An all-zero reference with a non-zero candidate gets
 * {@code -MAX_SQNR_DB}.
 */
public final class FidelityMetrics {

    public static final String COSINE = "cosine";
    public static final String MSE = "mse";
    public static final String SQNR = "sqnr";
    public static final String TOP1 = "top1";
    public static final String KL = "kl";

    /** The SQNR stored for identical outputs, and the bound of every stored SQNR, in dB. */
    public static final double MAX_SQNR_DB = 200;

    /** How far from 1 a row of a distribution output may sum. */
    public static final double DISTRIBUTION_SUM_TOLERANCE = 1e-3;

    /** Smallest candidate probability used in KL, so that a zero in the candidate gives a finite value. */
    public static final double KL_PROBABILITY_FLOOR = 1e-12;

    /** Direction of each fidelity metric, in the order that help texts and errors list them. */
    private static final Map<String, MetricDirection> DIRECTIONS = directions();

    private FidelityMetrics() {
    }

    private static Map<String, MetricDirection> directions() {
        Map<String, MetricDirection> directions = new LinkedHashMap<>();
        directions.put(COSINE, MetricDirection.HIGHER_IS_BETTER);
        directions.put(MSE, MetricDirection.LOWER_IS_BETTER);
        directions.put(SQNR, MetricDirection.HIGHER_IS_BETTER);
        directions.put(TOP1, MetricDirection.HIGHER_IS_BETTER);
        directions.put(KL, MetricDirection.LOWER_IS_BETTER);
        return Collections.unmodifiableMap(directions);
    }

    /** Returns the names of the fidelity metrics: cosine, mse, sqnr, top1 and kl, in this order. */
    public static Set<String> names() {
        return DIRECTIONS.keySet();
    }

    /** Returns the direction of fidelity metric {@code name}, or empty if it is not one. */
    public static Optional<MetricDirection> direction(String name) {
        return Optional.ofNullable(DIRECTIONS.get(name));
    }

    /**
     * Returns whether every row of {@code output} along its last axis is a probability
     * distribution: values in [0, 1] and a sum within {@link #DISTRIBUTION_SUM_TOLERANCE} of 1.
     */
    public static boolean isDistribution(OutputTensor output) {
        float[] values = output.values();
        int width = output.lastAxisSize();
        if (values.length == 0) {
            return false;
        }
        for (int row = 0; row < output.rowCount(); row++) {
            double sum = 0;
            for (int index = row * width; index < (row + 1) * width; index++) {
                if (!(values[index] >= 0 && values[index] <= 1)) {
                    return false;
                }
                sum += values[index];
            }
            if (Math.abs(sum - 1) > DISTRIBUTION_SUM_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Computes every applicable metric of {@code candidate} against {@code reference}.
     *
     * @param reference           the float model's outputs, one entry per sample
     * @param candidate           the candidate's outputs on the same samples, in the same order
     * @param distributionOutputs names of the outputs that are distributions in every reference sample
     * @return metric name to value; empty when the model has no float output
     * @throws IllegalArgumentException if the sample counts, output names or shapes differ
     */
    public static SortedMap<String, Double> compute(List<EvaluatedSample> reference, List<EvaluatedSample> candidate,
                                                    Set<String> distributionOutputs) {
        if (reference.size() != candidate.size()) {
            throw new IllegalArgumentException("The reference has " + reference.size() + " samples, but the candidate "
                    + "was run on " + candidate.size());
        }
        Accumulator sums = new Accumulator(distributionOutputs);
        for (int sample = 0; sample < reference.size(); sample++) {
            List<OutputTensor> expected = reference.get(sample).outputs();
            List<OutputTensor> actual = candidate.get(sample).outputs();
            for (OutputTensor expectedOutput : expected) {
                sums.add(expectedOutput, matching(expectedOutput, actual, reference.get(sample)));
            }
        }
        return sums.metrics();
    }

    private static OutputTensor matching(OutputTensor expected, List<OutputTensor> actual, EvaluatedSample sample) {
        for (OutputTensor output : actual) {
            if (output.name().equals(expected.name())) {
                if (!java.util.Arrays.equals(output.shape(), expected.shape())) {
                    throw new IllegalArgumentException("Output " + expected.describe() + " of the float model has "
                            + "shape " + output.describe() + " in the candidate for " + sample.sample().origin()
                            + "; a candidate must keep the float model's output shapes");
                }
                return output;
            }
        }
        throw new IllegalArgumentException("The candidate has no float output '" + expected.name() + "' for "
                + sample.sample().origin() + "; its float outputs are "
                + actual.stream().map(OutputTensor::name).toList());
    }

    /** Running sums over all samples and outputs. */
    private static final class Accumulator {

        private final Set<String> distributionOutputs;
        private double cosineSum;
        private long tensorCount;
        private double squaredErrorSum;
        private double signalSum;
        private long elementCount;
        private long argmaxMatches;
        private long argmaxRows;
        private double klSum;
        private long klRows;

        Accumulator(Set<String> distributionOutputs) {
            this.distributionOutputs = distributionOutputs;
        }

        void add(OutputTensor reference, OutputTensor candidate) {
            float[] expected = reference.values();
            float[] actual = candidate.values();
            cosineSum += cosine(expected, actual);
            tensorCount++;
            for (int index = 0; index < expected.length; index++) {
                double difference = (double) expected[index] - actual[index];
                squaredErrorSum += difference * difference;
                signalSum += (double) expected[index] * expected[index];
            }
            elementCount += expected.length;
            if (isClassScores(reference)) {
                for (int row = 0; row < reference.rowCount(); row++) {
                    argmaxMatches += reference.argmax(row) == candidate.argmax(row) ? 1 : 0;
                    argmaxRows++;
                }
            }
            if (distributionOutputs.contains(reference.name())) {
                addKl(reference, actual);
            }
        }

        private boolean isClassScores(OutputTensor output) {
            return output.lastAxisSize() >= 2
                    && (distributionOutputs.contains(output.name()) || output.shape().length <= 2);
        }

        private void addKl(OutputTensor reference, float[] actual) {
            float[] expected = reference.values();
            int width = reference.lastAxisSize();
            for (int row = 0; row < reference.rowCount(); row++) {
                double divergence = 0;
                for (int index = row * width; index < (row + 1) * width; index++) {
                    double p = expected[index];
                    if (p > 0) {
                        divergence += p * Math.log(p / Math.max(actual[index], KL_PROBABILITY_FLOOR));
                    }
                }
                klSum += divergence;
                klRows++;
            }
        }

        SortedMap<String, Double> metrics() {
            SortedMap<String, Double> metrics = new TreeMap<>();
            if (tensorCount == 0) {
                return metrics;
            }
            metrics.put(COSINE, cosineSum / tensorCount);
            metrics.put(MSE, elementCount == 0 ? 0 : squaredErrorSum / elementCount);
            metrics.put(SQNR, sqnrDb(signalSum, squaredErrorSum));
            if (argmaxRows > 0) {
                metrics.put(TOP1, (double) argmaxMatches / argmaxRows);
            }
            if (klRows > 0) {
                metrics.put(KL, klSum / klRows);
            }
            return metrics;
        }
    }

    /** SQNR in dB, clamped to [-MAX_SQNR_DB, MAX_SQNR_DB]; identical outputs give MAX_SQNR_DB. */
    static double sqnrDb(double signalSum, double noiseSum) {
        if (Double.isNaN(signalSum) || Double.isNaN(noiseSum)) {
            return Double.NaN;
        }
        if (noiseSum == 0) {
            return MAX_SQNR_DB;
        }
        double sqnr = 10 * Math.log10(signalSum / noiseSum);
        return Math.max(-MAX_SQNR_DB, Math.min(MAX_SQNR_DB, sqnr));
    }

    /** Cosine of two equal-length vectors; 1 for two zero vectors, 0 for one zero vector. */
    static double cosine(float[] a, float[] b) {
        boolean zeroA = isAllZero(a);
        boolean zeroB = isAllZero(b);
        if (zeroA || zeroB) {
            return zeroA == zeroB ? 1 : 0;
        }
        return VectorSimilarity.cosine(a, b, 0, a.length);
    }

    private static boolean isAllZero(float[] values) {
        for (float value : values) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }
}
