package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundTaskStatus;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.localstack.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static dev.quantfleet.coordinator.aggregation.RoundMessages.okResult;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.plan;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.roundZeroTasks;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the aggregator with exactly_once_v2 on an in-process broker through {@link KafkaStreams}
 * (no Quarkus), and reads its output with read_committed consumers.
 */
class AggregatorKafkaTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final String REQUEST_ID = "req-kafka-1";
    private static final String CPU_TASKS = Topics.tasks("cpu");

    private static EmbeddedKafka kafka;

    @TempDir
    Path stateDirectory;

    @BeforeAll
    static void startBroker() {
        QuietKafkaLogs.apply();
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, Topics.ROUND_PLANS, Topics.RESULTS, Topics.OUTCOMES);
        kafka.createTopics(1, Topics.ROUNDS, CPU_TASKS);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void closesRoundWithExactlyOnceOnBroker() throws Exception {
        AggregatorCounters counters = new AggregatorCounters();
        AggregatorConfig config = AggregatorConfig.defaults()
                .withDeadlineCheckInterval(Duration.ofMillis(200))
                .withRetryTimeout(Duration.ofSeconds(20));

        try (KafkaStreams streams = new KafkaStreams(AggregatorTopology.build(config, counters), streamsProperties());
             KafkaProducer<String, byte[]> producer = producer();
             KafkaConsumer<String, Task> taskConsumer = readCommittedConsumer(CPU_TASKS, new WireSerde<>(WireJson.TASK));
             KafkaConsumer<String, RoundCompleted> roundConsumer =
                     readCommittedConsumer(Topics.ROUNDS, new WireSerde<>(WireJson.ROUND_COMPLETED))) {
            streams.start();
            awaitRunning(streams);
            // The deadline counts from here, because a start on a busy machine can take longer than it.
            long deadlineMs = System.currentTimeMillis() + 3_000L;
            List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", deadlineMs);
            send(producer, Topics.ROUND_PLANS, REQUEST_ID, plan(tasks, deadlineMs, 2));
            send(producer, Topics.RESULTS, REQUEST_ID, okResult(tasks.get(0), "worker-a"));

            ConsumerRecord<String, Task> retry = pollOne(taskConsumer);
            assertThat(retry.key()).isEqualTo(tasks.get(1).taskId());
            assertThat(retry.value().attempt()).isEqualTo(2);

            send(producer, Topics.RESULTS, REQUEST_ID, okResult(retry.value(), "worker-b"));
            ConsumerRecord<String, RoundCompleted> closed = pollOne(roundConsumer);

            assertThat(closed.key()).isEqualTo(REQUEST_ID);
            assertThat(closed.value().round()).isZero();
            assertThat(closed.value().deadlineReached()).isFalse();
            assertThat(closed.value().counts()).containsExactlyEntriesOf(Map.of(RoundTaskStatus.OK, 2));
            assertThat(roundConsumer.poll(Duration.ofMillis(500)).isEmpty())
                    .as("a second RoundCompleted for the same round").isTrue();
            assertThat(counters.resentTasks()).isEqualTo(1);

            send(producer, Topics.OUTCOMES, REQUEST_ID, SearchOutcome.rejected(REQUEST_ID, List.of("test outcome")));
            long endNanos = System.nanoTime() + MAX_WAIT.toNanos();
            while (counters.deletedRoundStates() == 0 && System.nanoTime() < endNanos) {
                Thread.sleep(50);
            }
            assertThat(counters.deletedRoundStates()).as("round states deleted after the outcome").isEqualTo(1);
        }
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long endNanos = System.nanoTime() + MAX_WAIT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < endNanos) {
            Thread.sleep(50);
        }
        assertThat(streams.state()).as("aggregator state").isEqualTo(KafkaStreams.State.RUNNING);
    }

    private Properties streamsProperties() {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-" + UUID.randomUUID());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        return properties;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, WireMessage message)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, WireJson.toBytes(message))).get();
    }

    private static <T> KafkaConsumer<String, T> readCommittedConsumer(String topic, Deserializer<T> deserializer) {
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), deserializer);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until one record arrives, failing after {@link #MAX_WAIT}. */
    private static <T> ConsumerRecord<String, T> pollOne(KafkaConsumer<String, T> consumer) {
        long endNanos = System.nanoTime() + MAX_WAIT.toNanos();
        while (System.nanoTime() < endNanos) {
            for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        throw new AssertionError("No committed record arrived within " + MAX_WAIT);
    }
}
