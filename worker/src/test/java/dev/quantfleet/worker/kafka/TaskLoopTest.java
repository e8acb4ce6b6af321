package dev.quantfleet.worker.kafka;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.DeadLetter;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.quantize.Presets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskLoop} against an in-process Kafka broker and S3 server, on a tiny generated model. */
class TaskLoopTest {

    private static final String REQUEST = "req-loop";
    private static final String GROUP = "quantfleet-worker-cpu";
    private static final String TASKS = Topics.tasks("cpu");

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tasksGetResultsAndPoisonGoesToDeadLetters() throws Exception {
        try (LocalStack stack = LocalStack.start(TinyFleet.BUCKET);
                ArtifactStore store = TinyFleet.store(stack.s3())) {
            stack.kafka().createTopics(1, TASKS, Topics.RESULTS, Topics.TASKS_DLQ);
            TinyFleet.Inputs inputs = TinyFleet.upload(store, Files.createDirectories(directory.resolve("in")), 9);
            TaskProcessor processor = new TaskProcessor(store, new ArtifactCache(directory.resolve("cache"), 1 << 30,
                    store::download), directory.resolve("work"), "worker-loop", null, ModelLimits.defaults(),
                    System::currentTimeMillis);
            Map<String, Object> kafka = Map.of("bootstrap.servers", stack.kafka().bootstrapServers());
            TaskLoop loop = new TaskLoop(new TaskLoopSettings(kafka, "cpu", GROUP, "worker-loop", 3,
                    Duration.ofMillis(200), Duration.ofSeconds(10)), processor::process, TaskEvents.none(),
                    System::currentTimeMillis);
            Thread loopThread = new Thread(loop, "test-task-loop");
            loopThread.start();

            try (KafkaProducer<String, byte[]> producer = producer(stack);
                    KafkaConsumer<String, byte[]> results = consumer(stack, Topics.RESULTS);
                    KafkaConsumer<String, byte[]> deadLetters = consumer(stack, Topics.TASKS_DLQ)) {
                producer.send(new ProducerRecord<>(TASKS, "poison", "{not a task".getBytes(StandardCharsets.UTF_8)));
                send(producer, TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE, inputs.artifacts(), 1));
                send(producer, TinyFleet.roundZeroTask(REQUEST, TaskKind.CALIBRATE, inputs.artifacts(), 1));
                List<TaskResult> roundZero = read(results, 2).stream()
                        .map(record -> WireJson.TASK_RESULT.fromBytes(record.value())).toList();
                TaskResult baseline = roundZero.get(0);
                TaskResult calibrate = roundZero.get(1);
                TaskArtifacts later = TinyFleet.laterRound(inputs.artifacts(),
                        calibrate.artifacts().calibrationStatistics(), baseline.artifacts().referenceOutputs());
                send(producer, TinyFleet.evaluateTask(REQUEST, Presets.byName("a8w8"), later, 1));
                send(producer, TinyFleet.evaluateTask(REQUEST, Presets.byName("a16w8"), inputs.artifacts(), 3));
                List<ConsumerRecord<String, byte[]>> roundOne = read(results, 2);
                List<ConsumerRecord<String, byte[]>> letters = read(deadLetters, 2);

                assertThat(baseline.kind()).isEqualTo(TaskKind.BASELINE);
                assertThat(baseline.status()).isEqualTo(EvaluationStatus.OK);
                assertThat(calibrate.status()).isEqualTo(EvaluationStatus.OK);
                TaskResult evaluate = WireJson.TASK_RESULT.fromBytes(roundOne.get(0).value());
                assertThat(evaluate.status()).isEqualTo(EvaluationStatus.OK);
                assertThat(evaluate.artifacts().quantizedModel()).isNotNull();
                assertThat(roundOne.get(0).key()).isEqualTo(REQUEST);
                TaskResult failed = WireJson.TASK_RESULT.fromBytes(roundOne.get(1).value());
                assertThat(failed.status()).isEqualTo(EvaluationStatus.FAILED);

                ConsumerRecord<String, byte[]> poison = letters.get(0);
                assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("{not a task");
                assertThat(new String(poison.headers().lastHeader(TaskLoop.REASON_HEADER).value(),
                        StandardCharsets.UTF_8)).isNotBlank();
                DeadLetter letter = WireJson.DEAD_LETTER.fromBytes(letters.get(1).value());
                assertThat(letter.task().taskId()).isEqualTo(failed.taskId());
                assertThat(letter.attempts()).isEqualTo(3);
                assertThat(letter.reason()).contains("No calibration statistics");
                assertThat(committedOffset(stack)).isEqualTo(5);
            } finally {
                loop.close();
                loopThread.join(20_000);
            }
            assertThat(loopThread.isAlive()).isFalse();
            assertThat(loop.isPolling()).isFalse();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, Task task) throws Exception {
        producer.send(new ProducerRecord<>(TASKS, task.taskId(), WireJson.TASK.toBytes(task))).get();
    }

    /** Polls until {@code count} records arrived; the test's timeout bounds the wait. */
    private static List<ConsumerRecord<String, byte[]>> read(KafkaConsumer<String, byte[]> consumer, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        while (records.size() < count) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static long committedOffset(LocalStack stack) throws Exception {
        TopicPartition partition = new TopicPartition(TASKS, 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                        .get(partition);
                if ((offset != null && offset.offset() == 5) || System.currentTimeMillis() > deadline) {
                    return offset == null ? -1 : offset.offset();
                }
                Thread.sleep(100);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(LocalStack stack, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", stack.kafka().bootstrapServers(), "group.id", "test-reader-" + topic,
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
