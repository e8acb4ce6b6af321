package dev.quantfleet.coordinator.testing;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.RoundTaskStatus;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for the Kafka Streams aggregator: sends one RoundCompleted per round plan as soon as
 * every task of the plan has a result, with each task's status. It has no deadlines or retries.
 */
public final class SimulatedAggregator implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, RoundOpened> openPlans = new HashMap<>();
    private final Map<String, RoundTaskStatus> statuses = new HashMap<>();
    private final Set<String> closed = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    public SimulatedAggregator(String bootstrapServers) {
        this.consumer = TestKafka.consumer(bootstrapServers);
        this.producer = TestKafka.producer(bootstrapServers);
        this.thread = new Thread(this::run, "simulated-aggregator");
        thread.start();
    }

    private void run() {
        try {
            TestKafka.assignFromBeginning(consumer, Topics.ROUND_PLANS, Topics.RESULTS);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(Topics.ROUND_PLANS)) {
                        RoundOpened plan = WireJson.fromBytes(record.value(), RoundOpened.class);
                        openPlans.putIfAbsent(plan.requestId() + "/" + plan.round(), plan);
                    } else {
                        TaskResult result = WireJson.fromBytes(record.value(), TaskResult.class);
                        statuses.putIfAbsent(result.taskId(), RoundTaskStatus.valueOf(result.status().name()));
                    }
                }
                closeFinishedRounds();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close();
            producer.close();
        }
    }

    private void closeFinishedRounds() {
        for (Map.Entry<String, RoundOpened> entry : openPlans.entrySet()) {
            RoundOpened plan = entry.getValue();
            if (closed.contains(entry.getKey())
                    || !plan.tasks().stream().allMatch(task -> statuses.containsKey(task.taskId()))) {
                continue;
            }
            Map<String, RoundTaskStatus> roundStatuses = new HashMap<>();
            for (Task task : plan.tasks()) {
                roundStatuses.put(task.taskId(), statuses.get(task.taskId()));
            }
            RoundCompleted completed = RoundCompleted.of(plan.requestId(), plan.round(), roundStatuses, false);
            producer.send(new ProducerRecord<>(Topics.ROUNDS, plan.requestId(), WireJson.toBytes(completed)));
            producer.flush();
            closed.add(entry.getKey());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
