package dev.quantfleet.benchmarks;

import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one topic read_committed, as the coordinator does, from the end it had when created, and
 * records when the first record of each key arrived. The fleet keys its round closes and
 * outcomes by request id.
 */
final class KeyedRecordWatcher implements AutoCloseable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(10);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> receivedMs = new HashMap<>();

    KeyedRecordWatcher(String bootstrapServers, String topic) {
        this.topic = topic;
        consumer = new KafkaConsumer<>(CoordinatorLoop.consumerProperties(bootstrapServers));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /**
     * Returns when the first record with {@code key} arrived, in epoch milliseconds, waiting for it
     * up to {@code timeout}.
     *
     * @throws IllegalStateException when none arrives in time
     */
    long await(String key, Duration timeout) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (!receivedMs.containsKey(key)) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("No record with key " + key + " on " + topic + " within "
                        + timeout.toSeconds() + " s; read the fleet's logs for the failure");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                receivedMs.putIfAbsent(record.key(), System.currentTimeMillis());
            }
        }
        return receivedMs.get(key);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
