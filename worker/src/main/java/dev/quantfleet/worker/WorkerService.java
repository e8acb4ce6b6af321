package dev.quantfleet.worker;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import dev.quantfleet.worker.kafka.TaskLoop;
import dev.quantfleet.worker.kafka.TaskLoopSettings;
import dev.quantfleet.worker.tasks.ArtifactCache;
import dev.quantfleet.worker.tasks.TaskProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the task loop when the application starts and stops it, waiting for the running task,
 * when the application stops. The loop runs on its own thread; the health checks read its state.
 *
 * <p>An invalid setting that the worker checks at start, such as a wrong execution provider or
 * task timeout, leaves the worker up without a task loop: it logs the error, reports not ready
 * with the error, and stays live, because a restart with the same settings would fail the same way.
 */
@ApplicationScoped
public class WorkerService {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
    private static final long KAFKA_CHECK_TIMEOUT_MS = 2_000;
    private static final long KAFKA_CHECK_CACHE_MS = 5_000;

    @Inject
    WorkerConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private ArtifactStore store;
    private TaskProcessor processor;
    private TaskLoop loop;
    private Thread loopThread;
    private Admin admin;
    private volatile long kafkaCheckedAtMs;
    private volatile boolean kafkaReachable;
    private volatile String invalidSetting;

    void start(@Observes StartupEvent event) {
        ExecutionProvider provider;
        try {
            checkTaskTimeout(config.taskTimeout());
            ExecutionProviderSelection.checkEnvironment(System.getenv());
            provider = ExecutionProviderSelection.select(config.executionProvider(), config.providerLibrary(),
                    config.providerOptions());
        } catch (InvalidWorkerSettingException e) {
            invalidSetting = e.getMessage();
            LOG.error("Worker not started, so it consumes no tasks and reports not ready: {}", e.getMessage(), e);
            return;
        }
        String workerId = config.id().orElseGet(() -> defaultWorkerId(config.pool()));
        store = ArtifactStore.open(storeConfig());
        ArtifactCache cache = new ArtifactCache(Path.of(config.cache().directory()), config.cache().maxBytes(),
                store::download);
        processor = new TaskProcessor(store, cache, Path.of(config.cache().workDirectory()), workerId,
                config.taskThreads().orElse(null), ModelLimits.defaults(), System::currentTimeMillis, provider,
                config.taskTimeout());
        Map<String, Object> kafka = kafkaClientProperties();
        TaskLoopSettings settings = new TaskLoopSettings(kafka, config.pool(),
                config.groupId().orElse("quantfleet-worker-" + config.pool()), workerId, config.maxAttempts(),
                config.pollTimeout(), config.shutdownTimeout());
        loop = new TaskLoop(settings, processor::process, new WorkerMetrics(registry, cache, processor),
                System::currentTimeMillis);
        admin = Admin.create(adminProperties(kafka));
        loopThread = new Thread(loop, "quantfleet-task-loop");
        loopThread.start();
        LOG.info("Worker {} started on pool {} with store {}, {} on {}, task timeout {}", workerId, config.pool(),
                store.config(), provider.name(), provider.device(), config.taskTimeout());
    }

    private static void checkTaskTimeout(Duration taskTimeout) {
        if (taskTimeout.isZero() || taskTimeout.isNegative()) {
            throw new InvalidWorkerSettingException("quantfleet.worker.task-timeout is " + taskTimeout
                    + "; it must be positive, e.g. 30m");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop == null) {
            return;
        }
        loop.close();
        try {
            loopThread.join(config.shutdownTimeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processor.close();
        admin.close();
        store.close();
        LOG.info("Worker stopped");
    }

    /** Returns the error of the setting that kept the worker from starting; empty when it started. */
    public Optional<String> invalidSetting() {
        return Optional.ofNullable(invalidSetting);
    }

    /** Returns how many runner threads of tasks stopped at their time limit still run; see {@link TaskProcessor}. */
    public int abandonedTasksRunning() {
        return processor == null ? 0 : processor.abandonedTasksRunning();
    }

    /** Returns whether the task loop thread is alive; false after it stopped on an error. */
    public boolean loopAlive() {
        return loopThread != null && loopThread.isAlive();
    }

    /** Returns whether the task loop polls its topic. */
    public boolean loopPolling() {
        return loop != null && loop.isPolling();
    }

    /** Returns whether a task runs now. */
    public boolean busy() {
        return loop != null && loop.isBusy();
    }

    /** Returns whether the Kafka cluster responded to a describe-cluster request lately (cached for 5 s). */
    public boolean kafkaReachable() {
        long now = System.currentTimeMillis();
        if (admin == null) {
            return false;
        }
        if (now - kafkaCheckedAtMs > KAFKA_CHECK_CACHE_MS) {
            kafkaReachable = describeCluster();
            kafkaCheckedAtMs = now;
        }
        return kafkaReachable;
    }

    private boolean describeCluster() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) KAFKA_CHECK_TIMEOUT_MS))
                    .clusterId().get(KAFKA_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Kafka is not reachable: {}", e.toString());
            return false;
        }
    }

    private Map<String, Object> kafkaClientProperties() {
        Map<String, Object> kafka = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (!key.startsWith("health") && !key.startsWith("snappy") && !key.startsWith("devservices")) {
                kafka.put(key, value);
            }
        });
        return kafka;
    }

    private static Map<String, Object> adminProperties(Map<String, Object> kafka) {
        Map<String, Object> properties = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                properties.put(key, value);
            }
        });
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "quantfleet-worker-health");
        return properties;
    }

    private ArtifactStoreConfig storeConfig() {
        WorkerConfig.S3 s3 = config.s3();
        if (s3.endpoint().isEmpty() || s3.accessKeyId().isEmpty() || s3.secretAccessKey().isEmpty()) {
            return ArtifactStoreConfig.fromEnvironment(System.getenv(), s3.bucket(), s3.prefix());
        }
        return ArtifactStoreConfig.of(URI.create(s3.endpoint().get()), s3.region().orElse("us-east-1"), s3.bucket(),
                s3.prefix(), s3.accessKeyId().get(), s3.secretAccessKey().get());
    }

    private static String defaultWorkerId(String pool) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return "worker-" + pool + "-" + host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
