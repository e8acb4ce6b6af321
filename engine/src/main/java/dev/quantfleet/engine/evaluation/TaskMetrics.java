package dev.quantfleet.engine.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Looks up task metrics by name among every {@link TaskMetricProvider} on the class path. */
public final class TaskMetrics {

    private TaskMetrics() {
    }

    /**
     * Returns the metric called {@code name}, e.g. {@code accuracy}, {@code recall@1} or {@code mrr}.
     *
     * @throws IllegalArgumentException naming the known metrics if no provider has {@code name}
     */
    public static TaskMetric byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "Unknown task metric '" + name + "'; known metrics: " + knownNames()));
    }

    /**
     * Returns the metric called {@code name}, or empty if no provider has that name.
     *
     * @throws IllegalArgumentException if a provider has the name but rejects its parameter, e.g. {@code recall@0}
     */
    public static Optional<TaskMetric> find(String name) {
        for (TaskMetricProvider provider : providers()) {
            Optional<TaskMetric> metric = provider.create(name);
            if (metric.isPresent()) {
                return metric;
            }
        }
        return Optional.empty();
    }

    /** Returns the names and name patterns of every provider, e.g. {@code [accuracy, recall@K, mrr, auc, detection@0fa]}. */
    public static List<String> knownNames() {
        List<String> names = new ArrayList<>();
        for (TaskMetricProvider provider : providers()) {
            names.addAll(provider.names());
        }
        return names;
    }

    private static List<TaskMetricProvider> providers() {
        List<TaskMetricProvider> providers = new ArrayList<>();
        ServiceLoader.load(TaskMetricProvider.class, TaskMetrics.class.getClassLoader()).forEach(providers::add);
        return providers;
    }
}
