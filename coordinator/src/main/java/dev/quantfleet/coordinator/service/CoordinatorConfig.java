package dev.quantfleet.coordinator.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Settings of the coordinator service, under {@code quantfleet.*}. */
@ConfigMapping(prefix = "quantfleet")
public interface CoordinatorConfig {

    /** Whether the search loop runs; false leaves only the REST API, e.g. for API tests. */
    @WithDefault("true")
    boolean enabled();

    Kafka kafka();

    S3 s3();

    /** Worker pools that requests may name; each gets a task topic. */
    @WithDefault("cpu")
    List<String> pools();

    Search search();

    Limits limits();

    Api api();

    /** Folder of the local copies of models and data; defaults to a folder below java.io.tmpdir. */
    Optional<String> cacheDir();

    interface Kafka {
        /** Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}. */
        @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
        String bootstrapServers();

        /** Whether to create the fleet's missing topics on start. */
        @WithDefault("true")
        boolean createTopics();

        /** Partitions of each created topic. */
        @WithDefault("3")
        int partitions();

        /** Replication factor of each created topic. */
        @WithDefault("1")
        short replicationFactor();
    }

    interface S3 {
        /** S3 endpoint with scheme, e.g. {@code http://127.0.0.1:9000}; no default, so nothing is contacted unasked. */
        URI endpoint();

        @WithDefault("us-east-1")
        String region();

        String bucket();

        /** Key prefix of every artifact. */
        @WithDefault("quantfleet")
        String prefix();

        String accessKeyId();

        String secretAccessKey();
    }

    interface Search {
        /** Time per attempt of a round's tasks, in milliseconds, before the aggregator re-sends them. */
        @WithDefault("600000")
        long roundDeadlineMs();

        /** Attempts per task before it counts as timed out. */
        @WithDefault("3")
        int maxAttempts();

        /** Intra-op threads of each task's ONNX Runtime sessions. */
        @WithDefault("1")
        int taskThreads();

        /** Whether workers measure latency, which needs a quiet machine. */
        @WithDefault("false")
        boolean measureLatency();
    }

    interface Limits {
        /** Largest accepted .onnx file, in bytes (default 2 GiB less 8 bytes, the protobuf limit). */
        @WithDefault("2147483639")
        long maxModelBytes();

        /** Largest accepted sum of a model's external data, in bytes (default 16 GiB). */
        @WithDefault("17179869184")
        long maxExternalBytes();

        /** Largest accepted data, labels or tokenizer file, in bytes (default 4 GiB). */
        @WithDefault("4294967296")
        long maxDataBytes();

        /** Largest accepted trial budget. */
        @WithDefault("1000")
        int maxTrials();
    }

    interface Api {
        /** Bearer token that every API call must send; no token leaves the API open. */
        Optional<String> token();

        /** Requests kept for {@code GET /requests}. */
        @WithDefault("200")
        int recentRequests();
    }
}
