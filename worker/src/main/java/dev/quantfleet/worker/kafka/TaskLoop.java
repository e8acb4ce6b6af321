package dev.quantfleet.worker.kafka;

import dev.quantfleet.common.messages.DeadLetter;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Consumes the tasks of one pool and publishes their results, one task at a time:
 * <pre>
 *   poll 1 record ─ parse ─┬─ poison: raw copy to quantfleet.tasks.dlq ─────────────────┐
 *                          ├─ deadline passed: skip ───────────────────────────────────┤
 *                          └─ pause partitions, run the task on the task thread,       │
 *                             keep polling (no records) until it ends,                 │
 *                             publish TaskResult (+ DeadLetter at the last attempt) ───┴─ commit offset, resume
 * </pre>
 * Polling while the task runs keeps the consumer in its group however long the task takes, so
 * {@code max.poll.interval.ms} bounds only the gap between polls. The offset is committed only
 * after the result is acknowledged by the broker (idempotent producer, {@code acks=all}), so a
 * crash before the commit redelivers the task and a result is never lost; the aggregator drops
 * the duplicate by task id.
 *
 * <p>A poison payload (one that {@link WireJson#TASK} rejects) is copied unchanged to the dead
 * letter topic with the headers {@value #REASON_HEADER} and {@value #SOURCE_HEADER}, because a
 * {@link DeadLetter} needs a parsed task; it is committed and never retried.
 *
 * <p>{@link #close} stops polling, waits up to the shutdown timeout for the running task, then
 * publishes and commits its result; a task that is still running then is interrupted and left
 * uncommitted, so another worker gets it again. {@code TaskProcessor} handles the interrupt by
 * terminating the task's ONNX Runtime runs.
 */
public final class TaskLoop implements Runnable, AutoCloseable {

    /** Header of a poison copy on the dead letter topic: why the payload was rejected. */
    public static final String REASON_HEADER = "quantfleet.reason";

    /** Header of a poison copy: {@code <topic>/<partition>/<offset>} of the original record. */
    public static final String SOURCE_HEADER = "quantfleet.source";

    private static final Logger LOG = LoggerFactory.getLogger(TaskLoop.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(200);

    private final TaskLoopSettings settings;
    private final BiFunction<Task, Long, TaskResult> processor;
    private final TaskEvents events;
    private final LongSupplier clockMs;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService taskThread;
    private volatile boolean running = true;
    private volatile boolean polling;
    private volatile boolean busy;
    private volatile long lastPollAtMs;

    /**
     * @param processor runs a task given its queue time, e.g. {@code TaskProcessor::process}; must not throw
     */
    public TaskLoop(TaskLoopSettings settings, BiFunction<Task, Long, TaskResult> processor, TaskEvents events,
                    LongSupplier clockMs) {
        this.settings = settings;
        this.processor = processor;
        this.events = events;
        this.clockMs = clockMs;
        this.consumer = new KafkaConsumer<>(consumerProperties(settings), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(settings), new StringSerializer(),
                new ByteArraySerializer());
        this.taskThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quantfleet-task-" + settings.pool());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Returns whether the loop is polling: started, not stopped and not failed. */
    public boolean isPolling() {
        return polling;
    }

    /** Returns whether a task runs now. */
    public boolean isBusy() {
        return busy;
    }

    /** Epoch milliseconds of the last poll; 0 before the first. */
    public long lastPollAtMs() {
        return lastPollAtMs;
    }

    /** Polls until {@link #close} is called; run it on its own thread. */
    @Override
    public void run() {
        MDC.put("workerId", settings.workerId());
        try {
            consumer.subscribe(List.of(Topics.tasks(settings.pool())), new PauseOnAssign());
            polling = true;
            LOG.info("Task loop started on {} in group {}", Topics.tasks(settings.pool()), settings.groupId());
            while (running) {
                ConsumerRecords<String, byte[]> records = poll(settings.pollTimeout());
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("Task loop woken up to stop");
        } catch (RuntimeException e) {
            LOG.error("Task loop stopped by an error", e);
        } finally {
            polling = false;
            closeClients();
            MDC.remove("workerId");
            LOG.info("Task loop stopped on {}", Topics.tasks(settings.pool()));
        }
    }

    private ConsumerRecords<String, byte[]> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        lastPollAtMs = clockMs.getAsLong();
        return records;
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        Task task;
        try {
            task = WireJson.TASK.fromBytes(record.value());
        } catch (RuntimeException e) {
            sendPoison(record, e);
            commit(record);
            return;
        }
        putIds(task);
        try {
            if (dev.quantfleet.worker.tasks.TaskProcessor.isExpired(task, clockMs.getAsLong())) {
                LOG.info("Skipped task {} attempt {}: its deadline {} passed before it started", task.taskId(),
                        task.attempt(), task.deadlineMs());
                events.expired(task);
                commit(record);
                return;
            }
            TaskResult result = runWhilePolling(task, record.timestamp());
            if (result == null) {
                return;
            }
            send(Topics.RESULTS, task.requestId(), result);
            if (result.status() == EvaluationStatus.FAILED && task.attempt() >= settings.maxAttempts()) {
                DeadLetter letter = new DeadLetter(WireMessage.CURRENT_SCHEMA_VERSION, task,
                        result.evaluation().reason(), task.attempt(), settings.workerId(), clockMs.getAsLong());
                send(Topics.TASKS_DLQ, letter.key(), letter);
                events.deadLettered(task);
                LOG.warn("Task {} failed at its last attempt {}; sent it to {}", task.taskId(), task.attempt(),
                        Topics.TASKS_DLQ);
            }
            commit(record);
            events.resultPublished(result);
        } finally {
            MDC.remove("requestId");
            MDC.remove("round");
            MDC.remove("taskId");
        }
    }

    /**
     * Runs the task on the task thread while this thread polls with every partition paused.
     * Returns null when the loop was stopped and the task did not end within the shutdown timeout.
     */
    private TaskResult runWhilePolling(Task task, long queuedAtMs) {
        busy = true;
        consumer.pause(consumer.assignment());
        Map<String, String> context = MDC.getCopyOfContextMap();
        AtomicBoolean taskEnded = new AtomicBoolean();
        Future<TaskResult> future = taskThread.submit(() -> {
            MDC.setContextMap(context == null ? Map.of() : context);
            try {
                return processor.apply(task, queuedAtMs);
            } finally {
                MDC.clear();
                // Ends the busy poll at once instead of up to BUSY_POLL later.
                taskEnded.set(true);
                consumer.wakeup();
            }
        });
        try {
            while (running && !taskEnded.get() && !future.isDone()) {
                try {
                    poll(BUSY_POLL);
                } catch (WakeupException e) {
                    LOG.debug("Woken up while task {} runs", task.taskId());
                }
            }
            clearTaskEndWakeup();
            return awaitResult(task, future);
        } finally {
            busy = false;
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Consumes the wakeup that the task thread sent when the task ended, if no busy poll took it,
     * so that it cannot end the main poll loop. A wakeup from {@link #close} that is consumed here
     * does no harm: close also clears {@code running}, which ends the loop.
     */
    private void clearTaskEndWakeup() {
        try {
            poll(Duration.ZERO);
        } catch (WakeupException e) {
            LOG.debug("Consumed the wakeup sent at the end of the task");
        }
    }

    private TaskResult awaitResult(Task task, Future<TaskResult> future) {
        long timeoutMs = running ? Long.MAX_VALUE : settings.shutdownTimeout().toMillis();
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("Stopped while task {} still ran after {} ms; left it uncommitted for another worker",
                    task.taskId(), timeoutMs);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("The task processor threw for task " + task.taskId()
                    + ", though it must return a FAILED result", e.getCause());
        }
    }

    private void sendPoison(ConsumerRecord<String, byte[]> record, RuntimeException error) {
        String source = record.topic() + "/" + record.partition() + "/" + record.offset();
        String reason = error.getMessage() == null ? error.toString() : error.getMessage();
        LOG.warn("Rejected the payload at {} with key {}: {}; copied it to {}", source, record.key(), reason,
                Topics.TASKS_DLQ);
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(Topics.TASKS_DLQ, record.key(), record.value());
        copy.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        copy.headers().add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        await(producer.send(copy), Topics.TASKS_DLQ);
        events.poisonPayload(reason);
    }

    private void send(String topic, String key, WireMessage message) {
        await(producer.send(new ProducerRecord<>(topic, key, WireJson.toBytes(message))), topic);
    }

    private static void await(Future<?> sent, String topic) {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending to " + topic, e);
        } catch (ExecutionException e) {
            throw new KafkaException("Failed to send to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void commit(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Map<TopicPartition, OffsetAndMetadata> offset = Map.of(partition, new OffsetAndMetadata(record.offset() + 1));
        try {
            try {
                consumer.commitSync(offset);
            } catch (WakeupException e) {
                // close() woke the consumer outside a poll, so the wakeup surfaced here. The result is
                // already published, and the wakeup is now consumed, so a second commit succeeds.
                LOG.debug("Woken up while committing offset {} of {}; committing again", record.offset() + 1,
                        partition);
                consumer.commitSync(offset);
            }
        } catch (KafkaException e) {
            // The partition moved to another consumer, which gets the record again; its result is a duplicate.
            LOG.warn("Failed to commit offset {} of {}; the task may run again elsewhere", record.offset() + 1,
                    partition, e);
        }
    }

    private static void putIds(Task task) {
        MDC.put("requestId", task.requestId());
        MDC.put("round", Integer.toString(task.round()));
        MDC.put("taskId", task.taskId());
    }

    /** Stops polling and waits for the running task as the class comment describes. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    private void closeClients() {
        taskThread.shutdownNow();
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (KafkaException e) {
            LOG.warn("Failed to close the task consumer cleanly", e);
        }
        producer.close(Duration.ofSeconds(5));
    }

    private static Map<String, Object> consumerProperties(TaskLoopSettings settings) {
        Map<String, Object> properties = new HashMap<>(settings.kafka());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.workerId() + "-tasks");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    private static Map<String, Object> producerProperties(TaskLoopSettings settings) {
        Map<String, Object> properties = new HashMap<>(settings.kafka());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.workerId() + "-results");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return properties;
    }

    /** Pauses partitions assigned while a task runs, so that no second task starts. */
    private final class PauseOnAssign implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (busy) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            LOG.info("Partitions revoked: {}", partitions);
        }
    }
}
