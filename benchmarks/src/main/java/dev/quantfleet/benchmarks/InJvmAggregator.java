package dev.quantfleet.benchmarks;

import dev.quantfleet.coordinator.aggregation.AggregatorConfig;
import dev.quantfleet.coordinator.aggregation.AggregatorCounters;
import dev.quantfleet.coordinator.aggregation.AggregatorTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The coordinator's aggregator (Kafka Streams over {@link AggregatorTopology}) in this JVM, with
 * the Kafka Streams settings of the coordinator's application.properties: application id
 * {@value #APPLICATION_ID}, exactly_once_v2, a commit every {@value #COMMIT_INTERVAL_MS} ms, and
 * the default deadline check every second.
 */
final class InJvmAggregator implements AutoCloseable {

    static final String APPLICATION_ID = "quantfleet-aggregator";
    static final int COMMIT_INTERVAL_MS = 100;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final long STATE_POLL_MS = 100;

    private final KafkaStreams streams;
    private final AggregatorCounters counters;

    private InJvmAggregator(KafkaStreams streams, AggregatorCounters counters) {
        this.streams = streams;
        this.counters = counters;
    }

    /**
     * Starts the aggregator and waits until it runs.
     *
     * @param stateDirectory an empty folder for the Kafka Streams state
     * @throws IllegalStateException when it does not reach RUNNING within 60 s
     */
    static InJvmAggregator start(String bootstrapServers, Path stateDirectory) throws InterruptedException {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        AggregatorCounters counters = new AggregatorCounters();
        KafkaStreams streams = new KafkaStreams(AggregatorTopology.build(AggregatorConfig.defaults(), counters),
                properties);
        InJvmAggregator aggregator = new InJvmAggregator(streams, counters);
        streams.start();
        long deadlineNanos = System.nanoTime() + START_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadlineNanos || streams.state() == KafkaStreams.State.ERROR) {
                aggregator.close();
                throw new IllegalStateException("The aggregator is " + streams.state() + ", not RUNNING, "
                        + START_TIMEOUT.toSeconds() + " s after its start; read the org.apache.kafka.streams log");
            }
            Thread.sleep(STATE_POLL_MS);
        }
        return aggregator;
    }

    AggregatorCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
