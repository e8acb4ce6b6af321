package dev.quantfleet.coordinator.kafka;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.coordinator.intake.ArtifactCache;
import dev.quantfleet.coordinator.intake.IntakeLimits;
import dev.quantfleet.coordinator.intake.RequestValidator;
import dev.quantfleet.coordinator.promotion.WinnerPromotion;
import dev.quantfleet.coordinator.search.SearchCoordinator;
import dev.quantfleet.coordinator.search.SearchListener;
import dev.quantfleet.coordinator.search.SearchSettings;
import dev.quantfleet.engine.search.SearchDriver;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A running coordinator: the topics created, the producer, and the {@link CoordinatorLoop} on its
 * own thread. The Quarkus service and the tests assemble the coordinator through this class.
 */
public final class CoordinatorRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRuntime.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final KafkaFleetPublisher publisher;
    private final CoordinatorLoop loop;
    private final Thread thread;

    private CoordinatorRuntime(Producer<String, byte[]> producer, CoordinatorLoop loop) {
        this.producer = producer;
        this.publisher = new KafkaFleetPublisher(producer);
        this.loop = loop;
        this.thread = new Thread(loop, "quantfleet-coordinator");
    }

    /**
     * Creates the missing topics and starts the loop, which first resumes the open searches.
     *
     * @param kafka     broker and topic settings
     * @param store     the artifact store with the requests' inputs, where the results are promoted
     * @param cacheDir  folder of local copies of models and data
     * @param listener  receives the progress of every search
     */
    public static CoordinatorRuntime start(KafkaSettings kafka, ArtifactStore store, Path cacheDir,
                                           IntakeLimits limits, SearchSettings settings, SearchListener listener) {
        if (kafka.createTopics()) {
            try (Admin admin = Admin.create(KafkaClientProperties.forAdmin(kafka.clientProperties()))) {
                FleetTopics.createMissing(admin, limits.pools(), kafka.partitions(), kafka.replicationFactor());
            }
        }
        Producer<String, byte[]> producer = new KafkaProducer<>(
                CoordinatorLoop.producerProperties(kafka.clientProperties()));
        RequestValidator validator = new RequestValidator(new ArtifactCache(store, cacheDir), limits);
        SearchCoordinator coordinator = new SearchCoordinator(validator, new SearchDriver(null),
                new KafkaFleetPublisher(producer), new WinnerPromotion(store), settings, System::currentTimeMillis,
                listener);
        CoordinatorLoop loop = new CoordinatorLoop(
                new KafkaConsumer<>(CoordinatorLoop.consumerProperties(kafka.clientProperties())), coordinator,
                POLL_TIMEOUT);
        CoordinatorRuntime runtime = new CoordinatorRuntime(producer, loop);
        runtime.thread.setUncaughtExceptionHandler((thread, e) -> LOG.error("The coordinator loop died", e));
        runtime.thread.start();
        LOG.info("Coordinator started on {}", kafka.bootstrapServers());
        return runtime;
    }

    /** Returns the publisher that the REST API sends requests through. */
    public KafkaFleetPublisher publisher() {
        return publisher;
    }

    /** Returns whether the loop runs and has resumed the open searches. */
    public boolean ready() {
        return thread.isAlive() && loop.resumed();
    }

    /** Stops the loop, waiting up to 30 s for the record in hand, and closes the producer. */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for the coordinator loop to stop");
        }
        producer.close(STOP_TIMEOUT);
    }

    /**
     * Broker and topic settings.
     *
     * @param bootstrapServers  Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
     * @param createTopics      whether to create missing topics on start
     * @param partitions        partitions of each created topic
     * @param replicationFactor replication factor of each created topic
     * @param clientProperties  settings of every Kafka client, bootstrap servers included (see
     *                          {@link KafkaClientProperties})
     */
    public record KafkaSettings(String bootstrapServers, boolean createTopics, int partitions,
                                short replicationFactor, Map<String, Object> clientProperties) {

        public KafkaSettings {
            clientProperties = clientProperties == null
                    ? KafkaClientProperties.of(bootstrapServers) : Map.copyOf(clientProperties);
        }

        /** Settings for a broker without authentication. */
        public KafkaSettings(String bootstrapServers, boolean createTopics, int partitions, short replicationFactor) {
            this(bootstrapServers, createTopics, partitions, replicationFactor, null);
        }
    }
}
