package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.job.TaskFiles;
import dev.quantfleet.engine.job.TaskRun;
import dev.quantfleet.engine.job.TaskRunner;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.worker.testing.TinyFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskProcessor} on a tiny generated model, with its artifacts in an in-process S3 server. */
class TaskProcessorTest {

    private static final String REQUEST = "req-processor";

    /** Chain length of the slow model: 200 samples of it take far longer than the deadline test waits. */
    private static final int SLOW_CHAIN_NODES = 2_000;

    @TempDir
    static Path directory;

    private static EmbeddedS3 s3;
    private static ArtifactStore store;
    private static TinyFleet.Inputs inputs;

    @BeforeAll
    static void startStore() throws Exception {
        s3 = EmbeddedS3.start();
        store = TinyFleet.store(s3);
        inputs = TinyFleet.upload(store, Files.createDirectories(directory.resolve("inputs")), 5);
    }

    @AfterAll
    static void stopStore() {
        store.close();
        s3.close();
    }

    @Test
    void roundZeroThenEvaluateMatchesTheEngine() throws Exception {
        ArtifactCache cache = new ArtifactCache(directory.resolve("cache-rounds"), 1 << 30, store::download);
        TaskProcessor processor = processor(cache, "rounds");
        QuantConfig a8w8 = Presets.byName("a8w8");

        TaskResult baseline = processor.process(TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE,
                inputs.artifacts(), 1), 1_000);
        TaskResult calibrate = processor.process(TinyFleet.roundZeroTask(REQUEST, TaskKind.CALIBRATE,
                inputs.artifacts(), 1), 1_000);
        TaskArtifacts later = TinyFleet.laterRound(inputs.artifacts(), calibrate.artifacts().calibrationStatistics(),
                baseline.artifacts().referenceOutputs());
        TaskResult evaluate = processor.process(TinyFleet.evaluateTask(REQUEST, a8w8, later, 1), 1_000);

        assertThat(baseline.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(baseline.artifacts().referenceOutputs()).isNotNull();
        assertThat(baseline.evaluation().metrics()).containsKeys("cosine", "kl");
        assertThat(calibrate.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(calibrate.evaluation().cost().modelBytes()).isEqualTo(inputs.artifacts().model().onnx().sizeBytes());
        assertThat(evaluate.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(evaluate.evaluation().quantizedNodes()).containsExactly("/fc1/MatMul", "/fc2/MatMul");

        TaskRun engine = runEngine(a8w8);
        assertThat(evaluate.evaluation()).isEqualTo(engine.evaluation());
        assertThat(store.readBytes(evaluate.artifacts().quantizedModel()))
                .isEqualTo(Files.readAllBytes(engine.quantizedModel()));

        assertThat(evaluate.workerId()).isEqualTo("worker-test");
        assertThat(evaluate.attempt()).isEqualTo(1);
        assertThat(evaluate.provenance().threads()).isEqualTo(1);
        assertThat(evaluate.provenance().executionProvider()).isEqualTo("CPUExecutionProvider");
        assertThat(evaluate.provenance().device()).isEqualTo("cpu");
        assertThat(evaluate.timings().queuedAtMs()).isEqualTo(1_000);
        assertThat(evaluate.timings().finishedAtMs()).isGreaterThanOrEqualTo(evaluate.timings().startedAtMs());
        assertThat(cache.misses()).as("model, two data sets, statistics and reference fetched once").isEqualTo(5);
        assertThat(cache.hits()).as("model and both data sets fetched again by two tasks").isEqualTo(6);
        assertThat(processor.bytesUploaded()).isEqualTo(baseline.artifacts().referenceOutputs().sizeBytes()
                + calibrate.artifacts().calibrationStatistics().sizeBytes()
                + evaluate.artifacts().quantizedModel().sizeBytes());
    }

    @Test
    void wrongHashGivesFailedResult() throws Exception {
        ArtifactRef model = inputs.artifacts().model().onnx();
        ArtifactRef tampered = new ArtifactRef(model.key(), "0".repeat(64), model.sizeBytes());
        TaskArtifacts artifacts = new TaskArtifacts(new ModelReference("tiny", "1", tampered, List.of()),
                inputs.artifacts().calibrationData(), inputs.artifacts().evaluationData(), null, null, null);
        TaskProcessor processor = processor(new ArtifactCache(directory.resolve("cache-hash"), 1 << 30,
                store::download), "hash");

        TaskResult result = processor.process(TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE, artifacts, 2), 0);

        assertThat(result.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(result.evaluation().reason()).contains("SHA-256").contains(model.key());
        assertThat(result.attempt()).isEqualTo(2);
        assertThat(result.artifacts().referenceOutputs()).isNull();
    }

    @Test
    void runtimeRejectionGivesUnsupportedResult() throws Exception {
        Path modelFile = directory.resolve("unknown-operator.onnx");
        ModelIo.save(TinyFleet.unknownOperatorModel(5), modelFile);
        TaskArtifacts artifacts = new TaskArtifacts(new ModelReference("tiny", "2", store.putContent(modelFile),
                List.of()), inputs.artifacts().calibrationData(), inputs.artifacts().evaluationData(), null, null, null);
        TaskProcessor processor = processor(new ArtifactCache(directory.resolve("cache-unsupported"), 1 << 30,
                store::download), "unsupported");

        TaskResult result = processor.process(TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE, artifacts, 1), 0);

        assertThat(result.status()).isEqualTo(EvaluationStatus.UNSUPPORTED);
        assertThat(result.evaluation().reason()).contains("NoSuchOperator");
    }

    @Test
    void evaluateWithoutRoundZeroOutputsFails() {
        TaskProcessor processor = processor(new ArtifactCache(directory.resolve("cache-missing"), 1 << 30,
                store::download), "missing");

        TaskResult result = processor.process(TinyFleet.evaluateTask(REQUEST, Presets.byName("a8w8"),
                inputs.artifacts(), 1), 0);

        assertThat(result.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(result.evaluation().reason()).contains("No calibration statistics");
    }

    @Test
    void expiredDeadlineIsDetected() {
        Task task = TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE, inputs.artifacts(), 1);
        Task withDeadline = new Task(task.schemaVersion(), task.taskId(), task.requestId(), task.round(), task.kind(),
                task.candidateId(), null, task.seed(), task.pool(), task.artifacts(), 5_000L, 1, List.of(), null, null,
                task.settings());

        assertThat(TaskProcessor.isExpired(withDeadline, 5_001)).isTrue();
        assertThat(TaskProcessor.isExpired(withDeadline, 5_000)).isFalse();
        assertThat(TaskProcessor.isExpired(task, Long.MAX_VALUE)).isFalse();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void taskDeadlineStopsRunningTask() throws Exception {
        // 2,000 samples run far longer than the 1.5 s deadline also on an idle machine; 200 once ended in time.
        TinyFleet.Inputs slow = TinyFleet.uploadSlow(store, Files.createDirectories(directory.resolve("slow")), 17,
                SLOW_CHAIN_NODES, 2_000);
        TaskProcessor processor = processor(new ArtifactCache(directory.resolve("cache-deadline"), 1 << 30,
                store::download), "deadline");
        long deadlineMs = System.currentTimeMillis() + 1_500;

        TaskResult result = processor.process(TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE, slow.artifacts(),
                "cpu", deadlineMs, 1), 0);

        assertThat(result.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(result.evaluation().reason()).contains("ran past its deadline").contains("deadlineMs " + deadlineMs)
                .contains("quantfleet.worker.task-timeout");
        assertThat(result.artifacts().referenceOutputs()).isNull();
        assertThat(result.timings().finishedAtMs()).as("stopped at the deadline, well before the termination grace")
                .isBetween(deadlineMs, deadlineMs + TaskProcessor.TERMINATION_GRACE.toMillis() / 2);
        assertThat(processor.abandonedTasksRunning()).isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stuckTaskIsAbandonedAndNextTaskRuns() throws Exception {
        TinyFleet.Inputs other = TinyFleet.upload(store, Files.createDirectories(directory.resolve("other")), 29);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstDownload = new AtomicBoolean(true);
        ArtifactSource stuckOnce = (ref, target) -> {
            if (firstDownload.getAndSet(false)) {
                awaitIgnoringInterrupts(release);
            }
            store.download(ref, target);
        };
        TaskProcessor processor = new TaskProcessor(store, new ArtifactCache(directory.resolve("cache-stuck"),
                1 << 30, stuckOnce), directory.resolve("work-stuck"), "worker-test", null, ModelLimits.defaults(),
                System::currentTimeMillis, ExecutionProvider.cpu(), Duration.ofSeconds(2), Duration.ofMillis(300));

        TaskResult stuck = processor.process(TinyFleet.roundZeroTask("req-stuck", TaskKind.BASELINE,
                inputs.artifacts(), 1), 0);
        int abandonedWhileStuck = processor.abandonedTasksRunning();
        TaskResult next = processor.process(TinyFleet.roundZeroTask("req-after-stuck", TaskKind.BASELINE,
                other.artifacts(), 1), 0);
        release.countDown();
        while (processor.abandonedTasksRunning() > 0) {
            Thread.sleep(20);
        }

        assertThat(stuck.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(stuck.evaluation().reason()).contains("quantfleet.worker.task-timeout=PT2S");
        assertThat(abandonedWhileStuck).isEqualTo(1);
        assertThat(next.status()).as("the next task, on other artifacts, runs on a new runner thread")
                .isEqualTo(EvaluationStatus.OK);
        processor.close();
    }

    @Test
    void passedDeadlineFailsWithoutRunning() {
        TaskProcessor processor = processor(new ArtifactCache(directory.resolve("cache-passed"), 1 << 30,
                store::download), "passed");

        TaskResult result = processor.process(TinyFleet.roundZeroTask(REQUEST, TaskKind.BASELINE, inputs.artifacts(),
                "cpu", 1_000L, 1), 0);

        assertThat(result.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(result.evaluation().reason()).contains("ran past its deadline").contains("after 0 ms");
        assertThat(processor.bytesUploaded()).isZero();
    }

    /** Waits for {@code latch} the way a step that ignores interrupts would, e.g. a blocking native call. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs round 0 and one EVALUATE task with the engine on the local input files. */
    private static TaskRun runEngine(QuantConfig config) throws Exception {
        Path inputsFolder = directory.resolve("inputs");
        TaskRunner runner = new TaskRunner(List.of(), EvaluationSettings.of(1), ModelLimits.defaults());
        TaskFiles files = new TaskFiles(inputs.modelFile(), inputsFolder.resolve("calibration.npy"), null,
                inputsFolder.resolve("evaluation.npy"), null, null, null, null);
        TaskRun baseline = runner.run(TaskKind.BASELINE, null, files, Files.createDirectories(directory.resolve("e0")));
        TaskRun calibrate = runner.run(TaskKind.CALIBRATE, null, files, Files.createDirectories(directory.resolve("e1")));
        TaskFiles later = new TaskFiles(files.model(), files.calibrationData(), null, files.evaluationData(), null,
                null, calibrate.calibrationStatistics(), baseline.referenceOutputs());
        return runner.run(TaskKind.EVALUATE, config, later, Files.createDirectories(directory.resolve("e2")));
    }

    private static TaskProcessor processor(ArtifactCache cache, String name) {
        return new TaskProcessor(store, cache, directory.resolve("work-" + name), "worker-test", null,
                ModelLimits.defaults(), System::currentTimeMillis);
    }
}
