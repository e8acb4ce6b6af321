package dev.quantfleet.worker;

import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.worker.kafka.TaskEvents;
import dev.quantfleet.worker.tasks.ArtifactCache;
import dev.quantfleet.worker.tasks.TaskProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Micrometer meters of the worker:
 * <ul>
 *   <li>{@code quantfleet.worker.tasks} (counter, tags {@code kind}, {@code status}): results
 *       published, plus {@code status=EXPIRED} for skipped tasks;</li>
 *   <li>{@code quantfleet.worker.task.duration} (timer, tag {@code kind}): worker time per task;</li>
 *   <li>{@code quantfleet.worker.dead.letters} (counter, tag {@code cause}: {@code poison} or {@code last-attempt});</li>
 *   <li>{@code quantfleet.worker.artifact.cache.hits} and {@code .misses} (counters);</li>
 *   <li>{@code quantfleet.worker.artifact.bytes.downloaded} and {@code .uploaded} (counters, bytes).</li>
 * </ul>
 */
final class WorkerMetrics implements TaskEvents {

    private final MeterRegistry registry;

    WorkerMetrics(MeterRegistry registry, ArtifactCache cache, TaskProcessor processor) {
        this.registry = registry;
        FunctionCounter.builder("quantfleet.worker.artifact.cache.hits", cache, ArtifactCache::hits)
                .description("Artifacts served from the on-disk cache").register(registry);
        FunctionCounter.builder("quantfleet.worker.artifact.cache.misses", cache, ArtifactCache::misses)
                .description("Artifacts downloaded because the cache lacked them").register(registry);
        FunctionCounter.builder("quantfleet.worker.artifact.bytes.downloaded", cache, ArtifactCache::bytesDownloaded)
                .baseUnit("bytes").description("Bytes downloaded from the artifact store").register(registry);
        FunctionCounter.builder("quantfleet.worker.artifact.bytes.uploaded", processor, TaskProcessor::bytesUploaded)
                .baseUnit("bytes").description("Bytes uploaded to the artifact store").register(registry);
    }

    @Override
    public void resultPublished(TaskResult result) {
        tasks(result.kind().name(), result.status().name()).increment();
        Timer.builder("quantfleet.worker.task.duration").tag("kind", result.kind().name())
                .description("Worker time per task, from start to finish").register(registry)
                .record(Duration.ofMillis(result.timings().runMs()));
    }

    @Override
    public void poisonPayload(String reason) {
        deadLetters("poison").increment();
    }

    @Override
    public void deadLettered(Task task) {
        deadLetters("last-attempt").increment();
    }

    @Override
    public void expired(Task task) {
        tasks(task.kind().name(), "EXPIRED").increment();
    }

    private Counter tasks(String kind, String status) {
        return Counter.builder("quantfleet.worker.tasks").tag("kind", kind).tag("status", status)
                .description("Tasks by kind and final status").register(registry);
    }

    private Counter deadLetters(String cause) {
        return Counter.builder("quantfleet.worker.dead.letters").tag("cause", cause)
                .description("Records sent to the dead letter topic").register(registry);
    }
}
