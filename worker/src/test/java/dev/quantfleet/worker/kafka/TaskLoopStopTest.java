package dev.quantfleet.worker.kafka;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.localstack.LocalStack;
import dev.quantfleet.worker.tasks.ArtifactCache;
import dev.quantfleet.worker.tasks.TaskProcessor;
import dev.quantfleet.worker.testing.TinyFleet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task time limit and the worker's stop, through {@link TaskLoop} and {@link TaskProcessor}
 * against an in-process Kafka broker and S3 server, with a generated model made slow by a long
 * chain of MatMul nodes. Each test uses its own pool, so its own task topic and consumer group.
 */
class TaskLoopStopTest {

    /** Chain length of the slow model. */
    private static final int CHAIN_NODES = 2_000;

    /** Evaluation samples of the long task: far more run time than any test waits for. */
    private static final int LONG_TASK_SAMPLES = 400;

    /** Evaluation samples of the short slow task, which runs for a few seconds. */
    private static final int SHORT_TASK_SAMPLES = 20;

    @TempDir
    static Path directory;

    private static LocalStack stack;
    private static ArtifactStore store;
    private static TinyFleet.Inputs longTask;
    private static TinyFleet.Inputs shortTask;
    private static TinyFleet.Inputs tinyTask;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(TinyFleet.BUCKET);
        stack.kafka().createTopics(1, Topics.tasks("timeout"), Topics.tasks("redeliver"), Topics.tasks("drain"),
                Topics.RESULTS, Topics.TASKS_DLQ);
        store = TinyFleet.store(stack.s3());
        longTask = TinyFleet.uploadSlow(store, Files.createDirectories(directory.resolve("long")), 21, CHAIN_NODES,
                LONG_TASK_SAMPLES);
        shortTask = TinyFleet.uploadSlow(store, Files.createDirectories(directory.resolve("short")), 23, CHAIN_NODES,
                SHORT_TASK_SAMPLES);
        tinyTask = TinyFleet.upload(store, Files.createDirectories(directory.resolve("tiny")), 25);
    }

    @AfterAll
    static void stop() {
        store.close();
        stack.close();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void taskPastTimeoutFailsAndNextTaskRuns() throws Exception {
        TaskProcessor processor = processor("timeout", Duration.ofSeconds(1));
        Task slow = task("req-timeout-slow", longTask, "timeout");
        Task next = task("req-timeout-next", tinyTask, "timeout");

        List<TaskResult> results;
        try (RunningLoop loop = RunningLoop.start(settings("timeout", Duration.ofSeconds(10)), processor);
                KafkaConsumer<String, byte[]> consumer = resultConsumer("timeout")) {
            send(slow);
            send(next);
            results = readResults(consumer, List.of(slow.requestId(), next.requestId()), 2);
        }

        TaskResult timedOut = results.get(0);
        assertThat(timedOut.taskId()).isEqualTo(slow.taskId());
        assertThat(timedOut.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(timedOut.evaluation().reason()).contains("quantfleet.worker.task-timeout=PT1S")
                .contains("was stopped after");
        assertThat(timedOut.provenance().device()).isEqualTo("cpu");
        long ranMs = timedOut.timings().finishedAtMs() - timedOut.timings().startedAtMs();
        assertThat(ranMs).as("stopped at the timeout, not after the termination grace").isBetween(1_000L,
                1_000 + TaskProcessor.TERMINATION_GRACE.toMillis() / 2);
        assertThat(results.get(1).taskId()).isEqualTo(next.taskId());
        assertThat(results.get(1).status()).isEqualTo(EvaluationStatus.OK);
        assertThat(processor.abandonedTasksRunning()).as("the terminated runner thread ended").isZero();
        assertThat(committedOffset("timeout", 2)).isEqualTo(2);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stopPastShutdownTimeoutLeavesTaskForRedelivery() throws Exception {
        Task slow = task("req-redeliver", longTask, "redeliver");
        TaskProcessor first = processor("stopped", TaskProcessor.DEFAULT_TASK_TIMEOUT);

        RunningLoop stopped = RunningLoop.start(settings("redeliver", Duration.ofMillis(300)), first);
        send(slow);
        stopped.awaitBusy();
        long stoppedAtMs = System.currentTimeMillis();
        stopped.close();
        long stopMs = System.currentTimeMillis() - stoppedAtMs;
        first.close();

        assertThat(stopped.thread.isAlive()).isFalse();
        assertThat(stopMs).as("the loop waited the shutdown timeout, not for the task").isLessThan(10_000);
        assertThat(committedOffset("redeliver", 0)).as("offset of the unfinished task").isEqualTo(-1);

        TaskProcessor second = processor("second", Duration.ofSeconds(1));
        List<TaskResult> results;
        try (RunningLoop loop = RunningLoop.start(settings("redeliver", Duration.ofSeconds(10)), second);
                KafkaConsumer<String, byte[]> consumer = resultConsumer("redeliver")) {
            results = readResults(consumer, List.of(slow.requestId()), 1);
            assertThat(committedOffset("redeliver", 1)).isEqualTo(1);
        }

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.taskId()).isEqualTo(slow.taskId());
            assertThat(result.attempt()).isEqualTo(1);
            assertThat(result.workerId()).as("only the second worker published").isEqualTo("worker-second");
            assertThat(result.status()).isEqualTo(EvaluationStatus.FAILED);
            assertThat(result.evaluation().reason()).contains("quantfleet.worker.task-timeout");
        });
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stopWithinShutdownTimeoutPublishesResult() throws Exception {
        Task slow = task("req-drain", shortTask, "drain");
        TaskProcessor processor = processor("drain", TaskProcessor.DEFAULT_TASK_TIMEOUT);

        List<TaskResult> results;
        long stoppedAtMs;
        try (KafkaConsumer<String, byte[]> consumer = resultConsumer("drain")) {
            RunningLoop loop = RunningLoop.start(settings("drain", Duration.ofSeconds(60)), processor);
            send(slow);
            loop.awaitBusy();
            stoppedAtMs = System.currentTimeMillis();
            loop.close();
            processor.close();
            results = readResults(consumer, List.of(slow.requestId()), 1);
        }

        TaskResult result = results.get(0);
        assertThat(result.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(result.artifacts().referenceOutputs()).isNotNull();
        assertThat(result.timings().finishedAtMs()).as("the task was still running when the stop began")
                .isGreaterThan(stoppedAtMs);
        assertThat(committedOffset("drain", 1)).isEqualTo(1);
    }

    /** Returns a processor whose results carry the worker id {@code worker-<name>}. */
    private static TaskProcessor processor(String name, Duration taskTimeout) {
        return new TaskProcessor(store, new ArtifactCache(directory.resolve("cache-" + name), 1 << 30,
                store::download), directory.resolve("work-" + name), "worker-" + name, null, ModelLimits.defaults(),
                System::currentTimeMillis, ExecutionProvider.cpu(), taskTimeout);
    }

    private static TaskLoopSettings settings(String pool, Duration shutdownTimeout) {
        return new TaskLoopSettings(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()), pool,
                group(pool), "worker-loop-" + pool, 3, Duration.ofMillis(200), shutdownTimeout);
    }

    private static String group(String pool) {
        return "quantfleet-worker-" + pool;
    }

    private static Task task(String requestId, TinyFleet.Inputs inputs, String pool) {
        return TinyFleet.roundZeroTask(requestId, TaskKind.BASELINE, inputs.artifacts(), pool, null, 1);
    }

    private static void send(Task task) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                stack.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(task.topic(), task.taskId(), WireJson.TASK.toBytes(task))).get();
        }
    }

    private static KafkaConsumer<String, byte[]> resultConsumer(String name) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "test-results-" + name,
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RESULTS));
        return consumer;
    }

    /** Polls until {@code count} results of {@code requestIds} arrived, in their order; the test's timeout bounds the wait. */
    private static List<TaskResult> readResults(KafkaConsumer<String, byte[]> consumer, List<String> requestIds,
                                                int count) {
        List<TaskResult> results = new ArrayList<>();
        while (results.size() < count) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (requestIds.contains(record.key())) {
                    results.add(WireJson.TASK_RESULT.fromBytes(record.value()));
                }
            }
        }
        return results;
    }

    /** Returns the committed offset of the pool's group, or -1 for none, once it is {@code expected} or after 5 s. */
    private static long committedOffset(String pool, long expected) throws Exception {
        TopicPartition partition = new TopicPartition(Topics.tasks(pool), 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            long deadline = System.currentTimeMillis() + 5_000;
            while (true) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group(pool)).partitionsToOffsetAndMetadata()
                        .get().get(partition);
                long committed = offset == null ? -1 : offset.offset();
                if (committed == expected || System.currentTimeMillis() > deadline) {
                    return committed;
                }
                Thread.sleep(100);
            }
        }
    }

    /** A task loop on its own thread; closing it stops the loop and waits for its thread. */
    private record RunningLoop(TaskLoop loop, Thread thread) implements AutoCloseable {

        static RunningLoop start(TaskLoopSettings settings, TaskProcessor processor) {
            TaskLoop loop = new TaskLoop(settings, processor::process, TaskEvents.none(), System::currentTimeMillis);
            Thread thread = new Thread(loop, "test-loop-" + settings.pool());
            thread.start();
            return new RunningLoop(loop, thread);
        }

        void awaitBusy() throws InterruptedException {
            while (!loop.isBusy()) {
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(70_000);
        }
    }
}
