package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.coordinator.api.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka Streams settings of the running coordinator's aggregator: the values in
 * {@code application.properties} must reach the {@link StreamsConfig} that Quarkus builds, and the
 * aggregator's producer must be transactional on the broker.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class AggregatorStreamsConfigTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    @Inject
    StreamsConfig streamsConfig;

    @Inject
    KafkaStreams kafkaStreams;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void streamsConfigHasAggregatorSettings() {
        assertThat(streamsConfig.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("quantfleet-aggregator");
        assertThat(streamsConfig.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(streamsConfig.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
        assertThat(streamsConfig.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
    }

    @Test
    void aggregatorProducerIsTransactional() throws Exception {
        awaitRunning();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> transactionalIds = List.of();
            long deadlineNanos = System.nanoTime() + MAX_WAIT.toNanos();
            while (System.nanoTime() < deadlineNanos) {
                Collection<TransactionListing> listings = admin.listTransactions().all().get(10, TimeUnit.SECONDS);
                transactionalIds = listings.stream().map(TransactionListing::transactionalId).toList();
                if (transactionalIds.stream().anyMatch(id -> id.startsWith("quantfleet-aggregator-"))) {
                    break;
                }
                Thread.sleep(100);
            }

            assertThat(transactionalIds).as("transactional ids on the broker")
                    .anyMatch(id -> id.startsWith("quantfleet-aggregator-"));
        }
    }

    private void awaitRunning() throws InterruptedException {
        long deadlineNanos = System.nanoTime() + MAX_WAIT.toNanos();
        while (kafkaStreams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadlineNanos) {
            Thread.sleep(100);
        }
        assertThat(kafkaStreams.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
}
