package dev.quantfleet.coordinator.testing;

import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;

/** Kafka clients for the simulated fleet members of the tests. */
public final class TestKafka {

    private TestKafka() {
    }

    public static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(CoordinatorLoop.consumerProperties(bootstrapServers));
    }

    public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(CoordinatorLoop.producerProperties(bootstrapServers));
    }

    /** Assigns every partition of {@code topics} and seeks to their beginning. */
    public static void assignFromBeginning(KafkaConsumer<String, byte[]> consumer, String... topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }
}
