package dev.quantfleet.coordinator.kafka;

import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.search.SearchCoordinator;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The coordinator's single consumer thread. It reads requests, results, round plans, rounds and
 * outcomes (read_committed, without a consumer group) and hands them to the
 * {@link SearchCoordinator}.
 *
 * <p>On start it replays every topic from the beginning up to the end offsets of that moment,
 * without sending anything: results are stored, finished requests (those with an outcome) are
 * marked, and the plans and closed rounds of the other requests are collected. Each request
 * without an outcome is then resumed in arrival order, and the loop goes on with new records.
 * A malformed request is rejected by the id that {@link WireJson#peekRequestId} finds; a record
 * without one, or a malformed result or round, is logged and skipped.
 */
public final class CoordinatorLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLoop.class);

    static final List<String> INPUT_TOPICS = List.of(Topics.REQUESTS, Topics.RESULTS, Topics.ROUND_PLANS,
            Topics.ROUNDS, Topics.OUTCOMES);

    private final Consumer<String, byte[]> consumer;
    private final SearchCoordinator coordinator;
    private final Duration pollTimeout;
    private volatile boolean running = true;
    private volatile boolean resumed;

    public CoordinatorLoop(Consumer<String, byte[]> consumer, SearchCoordinator coordinator, Duration pollTimeout) {
        this.consumer = consumer;
        this.coordinator = coordinator;
        this.pollTimeout = pollTimeout;
    }

    /** Returns the consumer settings: no group, no commits, read_committed, from the beginning. */
    public static Map<String, Object> consumerProperties(String bootstrapServers) {
        return consumerProperties(KafkaClientProperties.of(bootstrapServers));
    }

    /**
     * Returns {@code clientProperties} (see {@link KafkaClientProperties}) with the consumer
     * settings of {@link #consumerProperties(String)} on top.
     */
    public static Map<String, Object> consumerProperties(Map<String, Object> clientProperties) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    /** Returns the producer settings: idempotent, every in-sync replica acknowledges. */
    public static Map<String, Object> producerProperties(String bootstrapServers) {
        return producerProperties(KafkaClientProperties.of(bootstrapServers));
    }

    /**
     * Returns {@code clientProperties} (see {@link KafkaClientProperties}) with the producer
     * settings of {@link #producerProperties(String)} on top.
     */
    public static Map<String, Object> producerProperties(Map<String, Object> clientProperties) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    /** Returns whether the replay finished and the open searches were resumed. */
    public boolean resumed() {
        return resumed;
    }

    /** Stops the loop; {@link #run} returns soon after and closes the consumer. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = assignAll();
            replay(partitions);
            resumed = true;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                records.forEach(this::dispatch);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close();
            LOG.info("Coordinator loop stopped");
        }
    }

    private List<TopicPartition> assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : INPUT_TOPICS) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private void replay(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
        Replay replay = new Replay();
        while (running && !reached(endOffsets)) {
            consumer.poll(pollTimeout).forEach(replay::add);
        }
        LOG.info("Replayed the fleet's topics: {} requests, {} of them without an outcome", replay.requests.size(),
                replay.requests.keySet().stream().filter(id -> !replay.outcomes.contains(id)).count());
        replay.resumeOpen();
    }

    private boolean reached(Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case Topics.REQUESTS -> onRequestRecord(record);
                case Topics.RESULTS -> parse(record, TaskResult.class).ifPresent(coordinator::onResult);
                case Topics.ROUNDS -> parse(record, RoundCompleted.class).ifPresent(coordinator::onRoundCompleted);
                default -> LOG.trace("Record of {} skipped: the coordinator wrote it", record.topic());
            }
        } catch (RuntimeException e) {
            failRequest(record, e);
        }
    }

    private void onRequestRecord(ConsumerRecord<String, byte[]> record) {
        try {
            coordinator.onRequest(WireJson.fromBytes(record.value(), QuantizationRequest.class), record.timestamp());
        } catch (WireFormatException e) {
            Optional<String> requestId = WireJson.peekRequestId(record.value());
            if (requestId.isPresent()) {
                coordinator.onMalformedRequest(requestId.get(), e.getMessage());
            } else {
                LOG.warn("Record at {}-{} offset {} skipped: it is not a request and has no request id: {}",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
    }

    /** Ends the request of a record whose handling failed, so that it does not stay pending. */
    private void failRequest(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        String requestId = record.key();
        LOG.error("Handling the record at {}-{} offset {} of request {} failed", record.topic(), record.partition(),
                record.offset(), requestId, e);
        if (requestId == null || !coordinator.openRequestIds().contains(requestId)
                && !record.topic().equals(Topics.REQUESTS)) {
            return;
        }
        try {
            coordinator.reject(requestId, List.of("The coordinator failed while running the request: " + e
                    + "; send the request again with a new request id"));
        } catch (RuntimeException rejectFailure) {
            LOG.error("Sending the rejection of request {} failed too", requestId, rejectFailure);
        }
    }

    private static <T extends dev.quantfleet.common.messages.WireMessage> Optional<T> parse(
            ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return Optional.of(WireJson.fromBytes(record.value(), type));
        } catch (WireFormatException e) {
            LOG.warn("Record at {}-{} offset {} skipped: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The records that the replay collected before the open searches resume. */
    private final class Replay {
        private final Map<String, ConsumerRecord<String, byte[]>> requests = new LinkedHashMap<>();
        private final Map<String, List<RoundOpened>> plans = new HashMap<>();
        private final Map<String, List<RoundCompleted>> rounds = new HashMap<>();
        private final Set<String> outcomes = new HashSet<>();

        void add(ConsumerRecord<String, byte[]> record) {
            switch (record.topic()) {
                case Topics.REQUESTS -> addRequest(record);
                case Topics.RESULTS -> parse(record, TaskResult.class).ifPresent(coordinator::onResult);
                case Topics.ROUND_PLANS -> parse(record, RoundOpened.class).ifPresent(plan ->
                        plans.computeIfAbsent(plan.requestId(), id -> new ArrayList<>()).add(plan));
                case Topics.ROUNDS -> parse(record, RoundCompleted.class).ifPresent(round ->
                        rounds.computeIfAbsent(round.requestId(), id -> new ArrayList<>()).add(round));
                case Topics.OUTCOMES -> {
                    if (record.key() != null) {
                        outcomes.add(record.key());
                        coordinator.onOutcomeSeen(record.key());
                    }
                }
                default -> LOG.trace("Record of {} skipped", record.topic());
            }
        }

        private void addRequest(ConsumerRecord<String, byte[]> record) {
            Optional<String> requestId = record.key() != null ? Optional.of(record.key())
                    : WireJson.peekRequestId(record.value());
            requestId.ifPresent(id -> requests.putIfAbsent(id, record));
        }

        void resumeOpen() {
            for (Map.Entry<String, ConsumerRecord<String, byte[]>> entry : requests.entrySet()) {
                String requestId = entry.getKey();
                if (outcomes.contains(requestId)) {
                    continue;
                }
                ConsumerRecord<String, byte[]> record = entry.getValue();
                try {
                    resume(requestId, record);
                } catch (RuntimeException e) {
                    failRequest(record, e);
                }
            }
        }

        private void resume(String requestId, ConsumerRecord<String, byte[]> record) {
            QuantizationRequest request;
            try {
                request = WireJson.fromBytes(record.value(), QuantizationRequest.class);
            } catch (WireFormatException e) {
                coordinator.onMalformedRequest(requestId, e.getMessage());
                return;
            }
            coordinator.resume(request, record.timestamp(), plans.getOrDefault(requestId, List.of()),
                    rounds.getOrDefault(requestId, List.of()));
        }
    }
}
