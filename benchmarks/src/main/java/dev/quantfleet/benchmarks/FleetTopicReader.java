package dev.quantfleet.benchmarks;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a request's records from the fleet's topics, read_committed as the coordinator reads
 * them, and assembles its {@link FleetTimeline}. Read after the outcome is on its topic, so that
 * every record of the request is there.
 */
final class FleetTopicReader {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final String bootstrapServers;

    FleetTopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Returns the timeline of {@code requestId}.
     *
     * @throws IllegalStateException naming the missing record when the topics lack the request,
     *                               a round's close or the outcome
     */
    FleetTimeline timeline(String requestId) {
        long requestMs = onlyTimestamp(requestId, Topics.REQUESTS);
        long outcomeMs = onlyTimestamp(requestId, Topics.OUTCOMES);
        Map<Integer, Long> planMs = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : recordsOf(requestId, Topics.ROUND_PLANS)) {
            planMs.putIfAbsent(WireJson.ROUND_OPENED.fromBytes(record.value()).round(), record.timestamp());
        }
        Map<Integer, Long> closedMs = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : recordsOf(requestId, Topics.ROUNDS)) {
            RoundCompleted completed = WireJson.ROUND_COMPLETED.fromBytes(record.value());
            closedMs.putIfAbsent(completed.round(), record.timestamp());
        }
        Map<Integer, List<FleetTimeline.Attempt>> attempts = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : recordsOf(requestId, Topics.RESULTS)) {
            TaskResult result = WireJson.TASK_RESULT.fromBytes(record.value());
            attempts.computeIfAbsent(result.round(), round -> new ArrayList<>()).add(new FleetTimeline.Attempt(
                    result.taskId(), result.workerId(), result.timings().queuedAtMs(), result.timings().startedAtMs(),
                    result.timings().finishedAtMs(), record.timestamp()));
        }
        List<FleetTimeline.Round> rounds = new ArrayList<>();
        for (Map.Entry<Integer, Long> plan : planMs.entrySet()) {
            int round = plan.getKey();
            Long closed = closedMs.get(round);
            if (closed == null) {
                throw new IllegalStateException("Round " + round + " of request " + requestId + " has no record on "
                        + Topics.ROUNDS + "; read the topics after the request's outcome is published");
            }
            rounds.add(new FleetTimeline.Round(round, plan.getValue(), attempts.getOrDefault(round, List.of()), closed));
        }
        return new FleetTimeline(requestId, requestMs, rounds, outcomeMs);
    }

    private long onlyTimestamp(String requestId, String topic) {
        List<ConsumerRecord<String, byte[]>> records = recordsOf(requestId, topic);
        if (records.isEmpty()) {
            throw new IllegalStateException("Request " + requestId + " has no record on " + topic
                    + "; submit it and wait for its outcome before reading its timeline");
        }
        return records.get(0).timestamp();
    }

    /** Returns the records of {@code topic} keyed by {@code requestId}, from the beginning to the current end. */
    private List<ConsumerRecord<String, byte[]>> recordsOf(String requestId, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                CoordinatorLoop.consumerProperties(bootstrapServers))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    if (requestId.equals(record.key())) {
                        records.add(record);
                    }
                }
            }
        }
        records.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return records;
    }
}
