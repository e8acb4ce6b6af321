package dev.quantfleet.worker.kafka;

import dev.quantfleet.common.topics.Topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link TaskLoop}.
 *
 * @param kafka           client properties shared by the consumer and the producer: at least
 *                        {@code bootstrap.servers}, plus security settings such as
 *                        {@code security.protocol} and {@code sasl.*}
 * @param pool            the pool whose topic {@code quantfleet.tasks.<pool>} is consumed
 * @param groupId         consumer group; the workers of one pool share it
 * @param workerId        recorded in results and dead letters
 * @param maxAttempts     a FAILED result at this attempt or later also goes to the dead letter topic
 * @param pollTimeout     longest wait of one poll
 * @param shutdownTimeout longest wait for the running task when the loop stops
 */
public record TaskLoopSettings(Map<String, Object> kafka, String pool, String groupId, String workerId,
                               int maxAttempts, Duration pollTimeout, Duration shutdownTimeout) {

    public TaskLoopSettings {
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("Kafka settings lack bootstrap.servers; set kafka.bootstrap.servers, "
                    + "e.g. 127.0.0.1:9092");
        }
        Topics.checkPoolName(pool);
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(workerId, "workerId");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts is " + maxAttempts + "; it must be 1 or more");
        }
    }
}
