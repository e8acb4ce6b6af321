package dev.quantfleet.engine.evaluation;

import java.util.Optional;

/** Finds the direction of any metric name that an {@link Evaluation} may hold. */
public final class MetricDirections {

    private MetricDirections() {
    }

    /**
     * Returns the direction of a fidelity metric, a task metric, or a task metric under
     * {@link ModelEvaluator#BASELINE_PREFIX}.
     *
     * @throws IllegalArgumentException naming the fidelity and task metrics if {@code name} is not one of them
     */
    public static MetricDirection of(String name) {
        String unprefixed = name.startsWith(ModelEvaluator.BASELINE_PREFIX)
                ? name.substring(ModelEvaluator.BASELINE_PREFIX.length()) : name;
        Optional<MetricDirection> fidelity = FidelityMetrics.direction(unprefixed);
        if (fidelity.isPresent()) {
            return fidelity.get();
        }
        return TaskMetrics.find(unprefixed)
                .map(TaskMetric::direction)
                .orElseThrow(() -> new IllegalArgumentException("Unknown metric '" + unprefixed + "'; known "
                        + "metrics: fidelity metrics " + String.join(", ", FidelityMetrics.names())
                        + " and task metrics " + String.join(", ", TaskMetrics.knownNames())));
    }
}
