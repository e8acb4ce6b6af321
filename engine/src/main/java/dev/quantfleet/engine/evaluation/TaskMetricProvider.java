package dev.quantfleet.engine.evaluation;

import java.util.List;
import java.util.Optional;

/**
 * Service provider interface for task metrics, found with {@link java.util.ServiceLoader}: an
 * implementation is listed in {@code META-INF/services/dev.quantfleet.engine.evaluation.TaskMetricProvider}.
 * A provider may create a family of metrics from one name pattern, e.g. {@code recall@K}.
 */
public interface TaskMetricProvider {

    /** The names and name patterns this provider creates, as error messages list them, e.g. {@code recall@K}. */
    List<String> names();

    /**
     * Creates the metric called {@code name}, or returns empty if this provider has none of that name.
     *
     * @throws IllegalArgumentException if the name matches a pattern of this provider but its
     *                                  parameter is invalid, e.g. {@code recall@0}
     */
    Optional<TaskMetric> create(String name);
}
