package dev.quantfleet.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the worker, under {@code quantfleet.worker}. Kafka client settings are the
 * {@code kafka.*} properties (e.g. {@code kafka.bootstrap.servers}, {@code kafka.security.protocol},
 * {@code kafka.sasl.jaas.config}), passed to the consumer and producer unchanged.
 */
@ConfigMapping(prefix = "quantfleet.worker")
public interface WorkerConfig {

    /** Pool whose topic {@code quantfleet.tasks.<pool>} this worker consumes. */
    @WithDefault("cpu")
    String pool();

    /** Id recorded in results; defaults to {@code worker-<pool>-<host name>-<process id>}. */
    Optional<String> id();

    /** Consumer group; defaults to {@code quantfleet-worker-<pool>}. */
    Optional<String> groupId();

    /** Attempts per task: a FAILED result at this attempt also goes to the dead letter topic. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * Session threads for every task instead of the task's {@code settings.threads}. Unset keeps
     * the task's value, which every worker must use to compute the same numbers.
     */
    Optional<Integer> taskThreads();

    /** Maximum wait for the running task when the worker stops. */
    @WithDefault("30s")
    Duration shutdownTimeout();

    /**
     * Maximum run time of one task. A task still running then is stopped and gets a FAILED result;
     * a task whose own deadline comes first is stopped at the deadline.
     */
    @WithDefault("30m")
    Duration taskTimeout();

    /**
     * The ONNX Runtime execution provider of every session: {@code cpu}, or {@code migraphx} for
     * AMD GPUs through the MIGraphX plugin library in {@link #providerLibrary()}. Checked at
     * start by {@link ExecutionProviderSelection}.
     */
    @WithDefault("cpu")
    String executionProvider();

    /**
     * Path of the plugin execution provider's shared library, required for {@code migraphx}, e.g.
     * {@code /opt/onnxruntime/lib/libonnxruntime_providers_migraphx.so}; ignored for {@code cpu}.
     */
    Optional<String> providerLibrary();

    /** Options passed to the plugin execution provider, e.g. {@code provider-options.device_id=0}. */
    Map<String, String> providerOptions();

    /** Maximum wait of one Kafka poll. */
    @WithDefault("500ms")
    Duration pollTimeout();

    Cache cache();

    S3 s3();

    /** The on-disk artifact cache. */
    interface Cache {

        /** Folder of cached artifacts, keyed by SHA-256. */
        @WithDefault("${java.io.tmpdir}/quantfleet-worker/cache")
        String directory();

        /** Most bytes the cached artifacts may take. */
        @WithDefault("10737418240")
        long maxBytes();

        /** Parent folder of the per-task folders; on the cache's file system, so files are hard-linked. */
        @WithDefault("${java.io.tmpdir}/quantfleet-worker/tasks")
        String workDirectory();
    }

    /**
     * The S3 artifact store. Unset endpoint, region and credentials are read from
     * {@code AWS_ENDPOINT_URL_S3} (or {@code AWS_ENDPOINT_URL}), {@code AWS_REGION} and
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}.
     */
    interface S3 {

        Optional<String> endpoint();

        Optional<String> region();

        @WithDefault("quantfleet")
        String bucket();

        @WithDefault("quantfleet")
        String prefix();

        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();
    }
}
