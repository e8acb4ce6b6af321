package dev.quantfleet.coordinator.service;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.coordinator.intake.ArtifactCache;
import dev.quantfleet.coordinator.intake.IntakeLimits;
import dev.quantfleet.coordinator.intake.RequestValidator;
import dev.quantfleet.coordinator.kafka.CoordinatorRuntime;
import dev.quantfleet.coordinator.kafka.KafkaClientProperties;
import dev.quantfleet.coordinator.search.SearchSettings;
import dev.quantfleet.coordinator.search.StatusBoard;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator inside Quarkus: opens the artifact store, starts the {@link CoordinatorRuntime}
 * on start-up (unless {@code quantfleet.enabled=false}) and stops it on shutdown.
 */
@ApplicationScoped
public class CoordinatorService {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorService.class);

    private final CoordinatorConfig config;
    private final Map<String, Object> kafkaConfig;
    private final StatusBoard board;
    private ArtifactStore store;
    private CoordinatorRuntime runtime;

    /**
     * @param kafkaConfig the {@code kafka.*} settings, e.g. {@code kafka.security.protocol}, which every
     *                    Kafka client of the coordinator takes (the aggregator's Kafka Streams client
     *                    takes {@code kafka-streams.*} instead)
     */
    public CoordinatorService(CoordinatorConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.board = new StatusBoard(config.api().recentRequests(), config.s3().bucket(), System::currentTimeMillis);
    }

    void onStart(@Observes StartupEvent event) {
        CoordinatorConfig.S3 s3 = config.s3();
        store = ArtifactStore.open(ArtifactStoreConfig.of(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(),
                s3.accessKeyId(), s3.secretAccessKey()));
        if (!config.enabled()) {
            LOG.info("The search loop is disabled (quantfleet.enabled=false); only the API runs");
            return;
        }
        CoordinatorConfig.Kafka kafka = config.kafka();
        runtime = CoordinatorRuntime.start(new CoordinatorRuntime.KafkaSettings(kafka.bootstrapServers(),
                kafka.createTopics(), kafka.partitions(), kafka.replicationFactor(), kafkaClientProperties()), store, cacheDir(), limits(),
                settings(), board);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
    }

    public StatusBoard board() {
        return board;
    }

    /** Returns the settings every Kafka client of the coordinator takes, bootstrap servers included. */
    public Map<String, Object> kafkaClientProperties() {
        return KafkaClientProperties.fromQuarkus(kafkaConfig, config.kafka().bootstrapServers());
    }

    public ArtifactStore store() {
        return store;
    }

    /** Returns the running coordinator, or empty when the loop is disabled. */
    public Optional<CoordinatorRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    /** Returns a validator for the checks that need no download. */
    public RequestValidator fieldValidator() {
        return new RequestValidator(new ArtifactCache(store, cacheDir()), limits());
    }

    IntakeLimits limits() {
        CoordinatorConfig.Limits limits = config.limits();
        return new IntakeLimits(config.pools(), limits.maxModelBytes(), limits.maxExternalBytes(),
                limits.maxDataBytes(), limits.maxTrials());
    }

    private SearchSettings settings() {
        CoordinatorConfig.Search search = config.search();
        return new SearchSettings(search.roundDeadlineMs(), search.maxAttempts(),
                new TaskSettings(search.taskThreads(), search.measureLatency()));
    }

    private Path cacheDir() {
        return Path.of(config.cacheDir().orElse(System.getProperty("java.io.tmpdir") + "/quantfleet-coordinator"));
    }
}
