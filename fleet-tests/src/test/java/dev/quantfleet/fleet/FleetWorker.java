package dev.quantfleet.fleet;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.worker.kafka.TaskEvents;
import dev.quantfleet.worker.kafka.TaskLoop;
import dev.quantfleet.worker.kafka.TaskLoopSettings;
import dev.quantfleet.worker.tasks.ArtifactCache;
import dev.quantfleet.worker.tasks.TaskProcessor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One worker as its own process would run it: its own artifact store client, cache folder, work
 * folder and worker id, and a {@link TaskProcessor} behind a {@link TaskLoop} on its own thread.
 * Every worker of a pool joins the same consumer group, {@code quantfleet-worker-<pool>}.
 */
final class FleetWorker implements AutoCloseable {

    private static final long CACHE_BYTES = 1L << 30;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);

    private final String workerId;
    private final ArtifactStore store;
    private final TaskLoop loop;
    private final Thread thread;

    private FleetWorker(String workerId, ArtifactStore store, TaskLoop loop) {
        this.workerId = workerId;
        this.store = store;
        this.loop = loop;
        this.thread = new Thread(loop, "fleet-" + workerId);
    }

    /**
     * Starts a worker whose tasks pass through {@code interceptor}.
     *
     * @param maxAttempts a FAILED result at this attempt also goes to the dead letter topic
     */
    static FleetWorker start(String workerId, String bootstrapServers, ArtifactStoreConfig storeConfig, String pool,
                             int maxAttempts, Path directory, TaskInterceptor interceptor) {
        ArtifactStore store = ArtifactStore.open(storeConfig);
        TaskProcessor processor = new TaskProcessor(store,
                new ArtifactCache(directory.resolve("cache"), CACHE_BYTES, store::download),
                directory.resolve("work"), workerId, null, ModelLimits.defaults(), System::currentTimeMillis);
        FleetWorker[] self = new FleetWorker[1];
        TaskLoopSettings settings = new TaskLoopSettings(Map.of("bootstrap.servers", bootstrapServers), pool,
                "quantfleet-worker-" + pool, workerId, maxAttempts, POLL_TIMEOUT, SHUTDOWN_TIMEOUT);
        TaskLoop loop = new TaskLoop(settings,
                (task, queuedAtMs) -> interceptor.process(task, queuedAtMs, processor, self[0]), TaskEvents.none(),
                System::currentTimeMillis);
        self[0] = new FleetWorker(workerId, store, loop);
        self[0].thread.start();
        return self[0];
    }

    String workerId() {
        return workerId;
    }

    /** Returns whether the task loop polls its topic. */
    boolean isPolling() {
        return loop.isPolling();
    }

    /** Returns whether the loop's thread has ended. */
    boolean isStopped() {
        return !thread.isAlive();
    }

    /**
     * Stops the loop from inside a running task, as a killed process looks to the fleet: the
     * task's result is never published and its offset never committed. The loop gives the task
     * {@link #SHUTDOWN_TIMEOUT}, then interrupts it and closes its consumer and producer. One
     * difference from a killed process remains: the consumer leaves its group at once instead of
     * after {@code session.timeout.ms}, so the partition moves to another worker sooner.
     */
    void kill() {
        loop.close();
    }

    /** Stops the loop (waiting for the running task up to the shutdown timeout) and closes the store client. */
    @Override
    public void close() throws InterruptedException {
        try {
            loop.close();
            thread.join(JOIN_TIMEOUT.toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException("Worker " + workerId + " still runs " + JOIN_TIMEOUT.toMillis()
                        + " ms after it was told to stop");
            }
        } finally {
            store.close();
        }
    }

    /** Runs between the task loop and the task processor, to inject failures. */
    @FunctionalInterface
    interface TaskInterceptor {

        TaskInterceptor NONE = (task, queuedAtMs, processor, worker) -> processor.process(task, queuedAtMs);

        /** Returns the result of {@code task}, which {@code worker} received. */
        TaskResult process(Task task, long queuedAtMs, TaskProcessor processor, FleetWorker worker);
    }
}
