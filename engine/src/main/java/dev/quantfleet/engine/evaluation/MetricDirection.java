package dev.quantfleet.engine.evaluation;

/**
 * Whether a larger or a smaller value of a metric is better. Every metric states its direction,
 * so that a drop against the float model and a ranking between candidates never depend on the
 * caller knowing which way a metric points.
 */
public enum MetricDirection {
    /** Cosine similarity, SQNR, top-1 agreement, accuracy, Recall@k, MRR, ROC-AUC, detection rate. */
    HIGHER_IS_BETTER,
    /** MSE, KL divergence, character error rate. */
    LOWER_IS_BETTER;

    /**
     * How much worse {@code candidate} is than {@code reference}, in the metric's units:
     * positive when the candidate is worse, zero when equal, negative when better.
     */
    public double drop(double reference, double candidate) {
        return this == HIGHER_IS_BETTER ? reference - candidate : candidate - reference;
    }

    /**
     * {@link #drop} relative to the reference's magnitude; a zero reference gives 0 for an equal
     * candidate and an infinite drop (of the drop's sign) otherwise.
     */
    public double relativeDrop(double reference, double candidate) {
        double drop = drop(reference, candidate);
        if (drop == 0) {
            return 0;
        }
        double magnitude = Math.abs(reference);
        return magnitude == 0 ? Math.copySign(Double.POSITIVE_INFINITY, drop) : drop / magnitude;
    }

    /** Orders values best first: negative when {@code a} is better than {@code b}. NaN sorts last. */
    public int compareBestFirst(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return this == HIGHER_IS_BETTER ? Double.compare(b, a) : Double.compare(a, b);
    }
}
