package dev.quantfleet.worker.tasks;

import ai.onnxruntime.OrtException;
import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.ProducedArtifacts;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.TaskTimings;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.job.TaskFiles;
import dev.quantfleet.engine.job.TaskRun;
import dev.quantfleet.engine.job.TaskRunner;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.TaskKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Turns one wire {@link Task} into its {@link TaskResult}: fetches the task's artifacts through
 * the {@link ArtifactCache} into a fresh {@link TaskWorkspace}, runs the engine's
 * {@link TaskRunner}, uploads the produced files under their content keys, and records timings
 * and provenance.
 *
 * <p>Contract: {@link #process} returns a result for every Exception and OutOfMemoryError. A failure anywhere (download, hash mismatch, data
 * that does not fit the model, upload) becomes a FAILED result whose reason names the error,
 * and a rejection by ONNX Runtime becomes UNSUPPORTED. A CALIBRATE task that ends OK reports
 * the float model's size as its cost, with an integer share of 0 and no latency, because the
 * wire format needs a cost on every OK result.
 *
 * <p>Session threads are the task's {@code settings.threads} unless the worker overrides them,
 * so that every worker computes the same numbers for the same task.
 */
public final class TaskProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(TaskProcessor.class);

    /** Warm-up runs before a latency measurement. */
    public static final int LATENCY_WARMUP_RUNS = 3;

    /** Timed runs of a latency measurement. */
    public static final int LATENCY_RUNS = 20;

    private final ArtifactStore store;
    private final ArtifactCache cache;
    private final Path workDirectory;
    private final String workerId;
    private final Integer threadsOverride;
    private final ModelLimits modelLimits;
    private final LongSupplier clockMs;
    private final AtomicLong bytesUploaded = new AtomicLong();

    /**
     * @param store           where produced files are uploaded
     * @param cache           where the task's artifacts are fetched through
     * @param workDirectory   parent of the per-task folders
     * @param workerId        recorded in every result
     * @param threadsOverride session threads for every task instead of the task's own; null to
     *                        use the task's. Results may then differ from other workers'.
     * @param modelLimits     limits the float model is loaded with
     * @param clockMs         epoch milliseconds, for the timings
     */
    public TaskProcessor(ArtifactStore store, ArtifactCache cache, Path workDirectory, String workerId,
                         Integer threadsOverride, ModelLimits modelLimits, LongSupplier clockMs) {
        this.store = store;
        this.cache = cache;
        this.workDirectory = workDirectory;
        this.workerId = workerId;
        this.threadsOverride = threadsOverride;
        this.modelLimits = modelLimits;
        this.clockMs = clockMs;
    }

    /** Returns whether {@code task} has a deadline that passed at {@code nowMs}, so no worker should start it. */
    public static boolean isExpired(Task task, long nowMs) {
        return task.deadlineMs() != null && nowMs > task.deadlineMs();
    }

    /** Bytes uploaded to the artifact store since this processor was created. */
    public long bytesUploaded() {
        return bytesUploaded.get();
    }

    /**
     * Runs {@code task} and returns its result, a FAILED or UNSUPPORTED one on failure.
     *
     * @param queuedAtMs when the coordinator sent the task, e.g. the Kafka record's time stamp
     */
    public TaskResult process(Task task, long queuedAtMs) {
        long startedAtMs = clockMs.getAsLong();
        EvaluationSettings settings = settings(task.settings());
        Evaluation evaluation;
        ProducedArtifacts produced = ProducedArtifacts.none();
        try (TaskWorkspace workspace = TaskWorkspace.create(workDirectory, cache)) {
            TaskFiles files = workspace.fetch(task.artifacts());
            TaskRunner runner = new TaskRunner(TaskMetricChoice.forTask(task), settings, modelLimits);
            TaskRun run = runner.run(task.kind(), task.config(), files, workspace.outputDirectory());
            produced = upload(run);
            evaluation = withCalibrationCost(task.kind(), run.evaluation(), task);
        } catch (Exception | OutOfMemoryError e) {
            evaluation = failure(task, e);
        }
        long finishedAtMs = Math.max(startedAtMs, clockMs.getAsLong());
        LOG.info("Task {} attempt {} ended {} in {} ms", task.taskId(), task.attempt(), evaluation.status(),
                finishedAtMs - startedAtMs);
        return TaskResult.of(task, evaluation, produced, new TaskTimings(queuedAtMs, startedAtMs, finishedAtMs),
                workerId, provenance(settings.threads()));
    }

    private EvaluationSettings settings(TaskSettings taskSettings) {
        int threads = threadsOverride != null ? threadsOverride : taskSettings.threads();
        EvaluationSettings settings = EvaluationSettings.of(threads);
        return taskSettings.measureLatency() ? settings.withLatency(LATENCY_WARMUP_RUNS, LATENCY_RUNS) : settings;
    }

    private ProducedArtifacts upload(TaskRun run) {
        return new ProducedArtifacts(upload(run.calibrationStatistics()), upload(run.referenceOutputs()),
                upload(run.quantizedModel()));
    }

    private ArtifactRef upload(Path file) {
        if (file == null) {
            return null;
        }
        ArtifactRef ref = store.putContent(file);
        bytesUploaded.addAndGet(ref.sizeBytes());
        return ref;
    }

    private static Evaluation withCalibrationCost(TaskKind kind, Evaluation evaluation, Task task) {
        if (kind != TaskKind.CALIBRATE || evaluation.status() != EvaluationStatus.OK || evaluation.cost() != null) {
            return evaluation;
        }
        long modelBytes = task.artifacts().model().onnx().sizeBytes();
        List<ArtifactRef> externalData = task.artifacts().model().externalData();
        if (externalData != null) {
            modelBytes += externalData.stream().mapToLong(ArtifactRef::sizeBytes).sum();
        }
        return Evaluation.ok(Map.of(), new Cost(modelBytes, 0.0, null), List.of());
    }

    private static Evaluation failure(Task task, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof OrtException) {
                LOG.info("ONNX Runtime rejected task {}: {}", task.taskId(), cause.getMessage());
                return Evaluation.unsupported("ONNX Runtime cannot run the task: " + cause.getMessage());
            }
        }
        LOG.warn("Task {} attempt {} failed", task.taskId(), task.attempt(), error);
        String message = error.getMessage() == null ? error.toString() : error.getClass().getSimpleName() + ": "
                + error.getMessage();
        return Evaluation.failed(message);
    }

    private static Provenance provenance(int threads) {
        try {
            return Provenance.current(OrtSessions.CPU_EXECUTION_PROVIDER, threads);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Failed to read the provenance of this worker; the result carries none", e);
            return null;
        }
    }
}
