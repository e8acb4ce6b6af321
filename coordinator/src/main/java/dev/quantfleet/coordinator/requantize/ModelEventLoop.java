package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactStoreException;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import dev.quantfleet.coordinator.kafka.KafkaClientProperties;
import dev.quantfleet.coordinator.kafka.KafkaFleetPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The thread that turns model events into re-quantization requests, with two consumers:
 * <ul>
 *   <li>the history consumer reads {@code quantfleet.requests} and {@code quantfleet.outcomes}
 *       from the beginning, without a group, into the {@link RequestHistory};</li>
 *   <li>the event consumer reads {@code quantfleet.model-events} in its own consumer group and
 *       commits each record's offset once the record is handled.</li>
 * </ul>
 *
 * <p>Before it handles a batch of events, the loop reads the history up to the end offsets of
 * that moment, so every request and outcome stored before the event counts. A repeated event is
 * recognized by the lineage of the request it started. The history reads that lineage from
 * {@code quantfleet.requests}, so the check also works after a restart. The committed offsets keep a
 * restart from handling old events again, such as one skipped because the model had no finished
 * search then. An event handled again after a crash between sending its request and committing
 * its offset finds its request in the history and is skipped.
 *
 * <p>When the artifact store or Kafka fails, the loop logs the error, seeks back to the record and
 * tries again after a pause that doubles from {@value #FIRST_RETRY_PAUSE_MS} ms up to
 * {@value #MAX_RETRY_PAUSE_MS} ms. An invalid record, and one whose handling fails otherwise, is
 * logged and skipped, so that one bad event does not stop the events after it.
 */
public final class ModelEventLoop implements Runnable {

    static final long FIRST_RETRY_PAUSE_MS = 1_000;
    static final long MAX_RETRY_PAUSE_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(ModelEventLoop.class);
    private static final long PAUSE_STEP_MS = 100;

    private final Consumer<String, byte[]> historyConsumer;
    private final Consumer<String, byte[]> eventConsumer;
    private final ModelEventReader reader;
    private final RequestHistory history;
    private final Requantizer requantizer;
    private final Duration pollTimeout;
    private volatile boolean running = true;
    private volatile boolean ready;
    private long retryPauseMs = FIRST_RETRY_PAUSE_MS;

    public ModelEventLoop(Consumer<String, byte[]> historyConsumer, Consumer<String, byte[]> eventConsumer,
                          ModelEventReader reader, RequestHistory history, Requantizer requantizer,
                          Duration pollTimeout) {
        this.historyConsumer = historyConsumer;
        this.eventConsumer = eventConsumer;
        this.reader = reader;
        this.history = history;
        this.requantizer = requantizer;
        this.pollTimeout = pollTimeout;
    }

    /**
     * Returns the settings of the event consumer: group {@code consumerGroup}, manual commits,
     * read_committed, and the topic's beginning for a group without committed offsets.
     */
    public static Map<String, Object> eventConsumerProperties(String bootstrapServers, String consumerGroup) {
        return eventConsumerProperties(KafkaClientProperties.of(bootstrapServers), consumerGroup);
    }

    /** Returns {@code clientProperties} with the settings of the event consumer on top. */
    public static Map<String, Object> eventConsumerProperties(Map<String, Object> clientProperties,
                                                              String consumerGroup) {
        Map<String, Object> properties = CoordinatorLoop.consumerProperties(clientProperties);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        return properties;
    }

    /** Returns whether the history has been read up to the end offsets of the start. */
    public boolean ready() {
        return ready;
    }

    /** Stops the loop; {@link #run} returns soon after and closes both consumers. */
    public void stop() {
        running = false;
        historyConsumer.wakeup();
        eventConsumer.wakeup();
    }

    @Override
    public void run() {
        try {
            assignHistory();
            catchUpHistory();
            eventConsumer.subscribe(List.of(Topics.MODEL_EVENTS));
            ready = true;
            LOG.info("Reading model events of {} in consumer group {}", Topics.MODEL_EVENTS,
                    eventConsumer.groupMetadata().groupId());
            while (running) {
                ConsumerRecords<String, byte[]> records = eventConsumer.poll(pollTimeout);
                if (records.isEmpty()) {
                    continue;
                }
                catchUpHistory();
                for (TopicPartition partition : records.partitions()) {
                    handle(partition, records.records(partition));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            historyConsumer.close();
            eventConsumer.close();
            LOG.info("Model event loop stopped");
        }
    }

    private void assignHistory() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.REQUESTS, Topics.OUTCOMES)) {
            historyConsumer.partitionsFor(topic)
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        historyConsumer.assign(partitions);
        historyConsumer.seekToBeginning(partitions);
    }

    /** Reads requests and outcomes up to the end offsets of now. */
    private void catchUpHistory() {
        Map<TopicPartition, Long> ends = historyConsumer.endOffsets(historyConsumer.assignment());
        while (running && ends.entrySet().stream()
                .anyMatch(end -> historyConsumer.position(end.getKey()) < end.getValue())) {
            historyConsumer.poll(pollTimeout).forEach(this::addToHistory);
        }
    }

    private void addToHistory(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(Topics.REQUESTS)) {
                history.addRequest(WireJson.fromBytes(record.value(), QuantizationRequest.class), record.timestamp());
            } else if (record.topic().equals(Topics.OUTCOMES)) {
                history.addOutcome(WireJson.fromBytes(record.value(), SearchOutcome.class));
            }
        } catch (WireFormatException e) {
            LOG.debug("Record at {}-{} offset {} left out of the history: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    /** Handles the records of one partition in order; on a failure that may pass, seeks back to retry later. */
    private void handle(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                handle(record);
            } catch (ArtifactStoreException | KafkaFleetPublisher.KafkaWriteException e) {
                LOG.error("Handling the model event at {}-{} offset {} failed; retrying in {} ms", record.topic(),
                        record.partition(), record.offset(), retryPauseMs, e);
                eventConsumer.seek(partition, record.offset());
                pause(retryPauseMs);
                retryPauseMs = Math.min(2 * retryPauseMs, MAX_RETRY_PAUSE_MS);
                return;
            } catch (RuntimeException e) {
                LOG.error("Handling the model event at {}-{} offset {} failed; the event is skipped", record.topic(),
                        record.partition(), record.offset(), e);
            }
            retryPauseMs = FIRST_RETRY_PAUSE_MS;
            eventConsumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        ModelEventReader.Read read;
        try {
            read = reader.read(record.value());
        } catch (WireFormatException e) {
            LOG.warn("Record at {}-{} offset {} skipped: it is neither a bucket notification nor a model event: {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        for (String reason : read.ignored()) {
            LOG.info("Notification record at {}-{} offset {} ignored: {}", record.topic(), record.partition(),
                    record.offset(), reason);
        }
        for (ModelEvent event : read.events()) {
            requantizer.handle(event);
        }
    }

    private void pause(long pauseMs) {
        long until = System.nanoTime() + Duration.ofMillis(pauseMs).toNanos();
        try {
            while (running && System.nanoTime() < until) {
                Thread.sleep(PAUSE_STEP_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
