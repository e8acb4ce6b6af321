package dev.quantfleet.coordinator.kafka;

import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.search.FleetPublisher;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Writes the coordinator's messages to Kafka and waits for each write, so that a round plan is
 * stored before its tasks and a crash loses at most the message being sent.
 */
public final class KafkaFleetPublisher implements FleetPublisher {

    private final Producer<String, byte[]> producer;

    public KafkaFleetPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public void publishRound(RoundOpened plan) {
        await(producer.send(new ProducerRecord<>(Topics.ROUND_PLANS, plan.requestId(), WireJson.toBytes(plan))),
                "round plan " + plan.round() + " of request " + plan.requestId());
        for (Task task : plan.tasks()) {
            producer.send(new ProducerRecord<>(task.topic(), task.taskId(), WireJson.toBytes(task)));
        }
        producer.flush();
    }

    @Override
    public void publishOutcome(SearchOutcome outcome) {
        await(producer.send(new ProducerRecord<>(Topics.OUTCOMES, outcome.requestId(), WireJson.toBytes(outcome))),
                "outcome of request " + outcome.requestId());
    }

    /** Sends {@code request} to {@link Topics#REQUESTS}, keyed by its id, and waits for the write. */
    public void publishRequest(String requestId, byte[] payload) {
        await(producer.send(new ProducerRecord<>(Topics.REQUESTS, requestId, payload)), "request " + requestId);
    }

    private static void await(Future<?> send, String what) {
        try {
            send.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaWriteException("Interrupted while sending the " + what, e);
        } catch (ExecutionException e) {
            throw new KafkaWriteException("Failed to send the " + what + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** A write to Kafka that failed. */
    public static final class KafkaWriteException extends RuntimeException {
        KafkaWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
