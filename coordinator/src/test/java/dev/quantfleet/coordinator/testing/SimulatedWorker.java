package dev.quantfleet.coordinator.testing;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.ProducedArtifacts;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.TaskTimings;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.evaluation.CandidateEvaluator;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import dev.quantfleet.engine.evaluation.QuantizedCandidate;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.Provenance;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker for tests: consumes {@code quantfleet.tasks.cpu} and computes the result of each task with the engine,
 * as {@code LocalTaskExecutor} computes it, uploading calibration statistics, a stand-in for the
 * reference outputs, and the quantized models of EVALUATE tasks. The float model's evaluator stays
 * in memory per request, so the reference outputs file is only a marker. EVALUATE and SENSITIVITY
 * tasks read the calibration statistics from the reference in the task, which checks that the
 * coordinator passes round 0's files on.
 */
public final class SimulatedWorker implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final ArtifactStore store;
    private final Path workDir;
    private final Map<String, ModelEvaluator> evaluators = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public SimulatedWorker(String bootstrapServers, ArtifactStore store, Path workDir) {
        this.consumer = TestKafka.consumer(bootstrapServers);
        this.producer = TestKafka.producer(bootstrapServers);
        this.store = store;
        this.workDir = workDir;
        this.thread = new Thread(this::run, "simulated-worker");
        thread.start();
    }

    private void run() {
        try {
            TestKafka.assignFromBeginning(consumer, Topics.tasks("cpu"));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Task task = WireJson.fromBytes(record.value(), Task.class);
                    TaskResult result = execute(task);
                    producer.send(new ProducerRecord<>(Topics.RESULTS, task.requestId(), WireJson.toBytes(result)));
                    producer.flush();
                }
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

    private TaskResult execute(Task task) {
        long startedAtMs = System.currentTimeMillis();
        try {
            ModelProto model = ModelIo.load(download(task.artifacts().model().onnx(), "model.onnx"),
                    ModelLimits.defaults());
            EvaluationSettings settings = EvaluationSettings.of(task.settings().threads());
            Evaluation evaluation;
            ProducedArtifacts produced = ProducedArtifacts.none();
            switch (task.kind()) {
                case BASELINE -> {
                    Path data = download(task.artifacts().evaluationData().data(),
                            task.artifacts().evaluationData().fileName());
                    try (EvaluationData evaluationData = EvaluationData.open(data, null, model, null)) {
                        ModelEvaluator evaluator = ModelEvaluator.forFloatModel(model, evaluationData, List.of(),
                                settings);
                        evaluators.put(task.requestId(), evaluator);
                        evaluation = evaluator.evaluateReference(ModelIo.toBytes(model));
                    }
                    ArtifactRef marker = store.putContent(("reference outputs of " + task.taskId())
                            .getBytes(StandardCharsets.UTF_8));
                    produced = new ProducedArtifacts(null, marker, null);
                }
                case CALIBRATE -> {
                    Path data = download(task.artifacts().calibrationData().data(),
                            task.artifacts().calibrationData().fileName());
                    CalibrationStatistics statistics;
                    try (SampleSource samples = SampleSources.open(data, model, null)) {
                        statistics = CandidateEvaluator.calibrate(model, samples, settings.threads());
                    }
                    ArtifactRef ref = store.putContent(statistics.toJson().getBytes(StandardCharsets.UTF_8));
                    produced = new ProducedArtifacts(ref, null, null);
                    evaluation = Evaluation.ok(Map.of(), new Cost(ModelIo.toBytes(model).length, 0, null), List.of());
                }
                default -> {
                    if (task.artifacts().referenceOutputs() == null) {
                        throw new IllegalStateException("Task " + task.taskId() + " lacks the reference outputs");
                    }
                    CalibrationStatistics statistics = CalibrationStatistics.fromJson(new String(
                            store.readBytes(task.artifacts().calibrationStatistics()), StandardCharsets.UTF_8));
                    QuantizedCandidate candidate = new CandidateEvaluator(evaluators.get(task.requestId()))
                            .evaluate(model, statistics, task.config());
                    evaluation = candidate.evaluation();
                    if (task.kind() == dev.quantfleet.engine.search.TaskKind.EVALUATE
                            && candidate.modelBytes() != null) {
                        produced = new ProducedArtifacts(null, null, store.putContent(candidate.modelBytes()));
                    }
                }
            }
            return TaskResult.of(task, evaluation, produced, timings(startedAtMs), "simulated-worker",
                    Provenance.current(task.settings().threads()));
        } catch (Exception e) {
            return TaskResult.of(task, Evaluation.failed(e.toString()), ProducedArtifacts.none(),
                    timings(startedAtMs), "simulated-worker", null);
        }
    }

    private Path download(ArtifactRef ref, String fileName) throws java.io.IOException {
        Path folder = Files.createDirectories(workDir.resolve(ref.sha256()));
        Path file = folder.resolve(fileName);
        if (!Files.exists(file)) {
            store.download(ref, file);
        }
        return file;
    }

    private static TaskTimings timings(long startedAtMs) {
        long now = System.currentTimeMillis();
        return new TaskTimings(startedAtMs, startedAtMs, Math.max(now, startedAtMs));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
