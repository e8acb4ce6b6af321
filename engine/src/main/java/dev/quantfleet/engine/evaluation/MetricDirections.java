package dev.quantfleet.engine.evaluation;

/** Finds the direction of any metric name that an {@link Evaluation} may hold. */
public final class MetricDirections {

    private MetricDirections() {
    }

    /**
     * Returns the direction of a fidelity metric, a task metric, or a task metric under
     * {@link ModelEvaluator#BASELINE_PREFIX}.
     *
     * @throws IllegalArgumentException naming the known metrics if {@code name} is not one of them
     */
    public static MetricDirection of(String name) {
        String unprefixed = name.startsWith(ModelEvaluator.BASELINE_PREFIX)
                ? name.substring(ModelEvaluator.BASELINE_PREFIX.length()) : name;
        return FidelityMetrics.direction(unprefixed)
                .orElseGet(() -> TaskMetrics.byName(unprefixed).direction());
    }
}
