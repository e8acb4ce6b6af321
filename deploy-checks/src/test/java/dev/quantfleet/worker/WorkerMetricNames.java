package dev.quantfleet.worker;

import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.worker.tasks.ArtifactCache;
import dev.quantfleet.worker.tasks.TaskProcessor;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus names of the worker's own meters, as its /q/metrics endpoint writes them. It
 * builds the real {@link WorkerMetrics} on a Prometheus registry, reports one event of each kind
 * to it, so that every meter exists, and reads the metric names from the scrape.
 * The registry is the Prometheus simpleclient one that Quarkus 3.33 uses. The class is in the
 * worker's package because WorkerMetrics is package-private.
 */
public final class WorkerMetricNames {

    private WorkerMetricNames() {
    }

    /**
     * Returns the metric names of one scrape, e.g. {@code quantfleet_worker_tasks_total}.
     *
     * @param cacheDirectory an empty folder for the artifact cache that the meters read
     * @param task           a task, reported as expired and as dead-lettered
     * @param result         a result of that task, reported as published
     */
    public static Set<String> scrape(Path cacheDirectory, Task task, TaskResult result) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ArtifactCache cache = new ArtifactCache(cacheDirectory, 1024, (ref, target) -> {
            throw new IllegalStateException("The metric names check downloads nothing; asked for " + ref);
        });
        try (TaskProcessor processor = new TaskProcessor(null, cache, cacheDirectory, "metric-names", null,
                ModelLimits.defaults(), System::currentTimeMillis)) {
            WorkerMetrics metrics = new WorkerMetrics(registry, cache, processor);
            metrics.resultPublished(result);
            metrics.expired(task);
            metrics.deadLettered(task);
            metrics.poisonPayload("not JSON");

            Set<String> names = new TreeSet<>();
            for (String line : registry.scrape().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            return names;
        } finally {
            registry.close();
        }
    }

    /** Decodes a task from its wire JSON, e.g. an example of docs/wire-format.md. */
    public static Task task(String json) {
        return WireJson.TASK.fromBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a task result from its wire JSON. */
    public static TaskResult result(String json) {
        return WireJson.TASK_RESULT.fromBytes(json.getBytes(StandardCharsets.UTF_8));
    }
}
