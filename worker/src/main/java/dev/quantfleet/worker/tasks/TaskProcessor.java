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
import dev.quantfleet.engine.runtime.ExecutionProvider;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.runtime.RunTermination;
import dev.quantfleet.engine.search.TaskKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * so that every worker computes the same numbers for the same task. Sessions run on the
 * processor's {@link ExecutionProvider}, which every result's provenance names with its device.
 *
 * <p>A task runs on the processor's runner thread within a {@link TaskTimeLimit}: the task
 * timeout after its start, or the task's deadline when that comes first. A task still running at
 * its limit becomes a FAILED result whose reason names the limit, even if it ends right after:
 * <pre>
 *   submit to the runner thread, wait until the limit
 *     ├─ ended in time ───────────────────────────────────────► its result
 *     └─ limit passed ─ terminate the ONNX Runtime runs, interrupt,
 *                       wait up to the termination grace
 *                         ├─ runner thread ended ─────────────► FAILED
 *                         └─ still running: abandon the thread ► FAILED
 * </pre>
 * Terminating the runs makes ONNX Runtime stop before the next node, so the runner thread ends and
 * closes its sessions, tensors and task folder. A runner thread that does not end within
 * {@link #TERMINATION_GRACE}, e.g. in a long Java step, is abandoned: later tasks get a new runner
 * thread, and {@link #abandonedTasksRunning()} counts the abandoned ones until they end.
 */
public final class TaskProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskProcessor.class);

    /** Warm-up runs before a latency measurement. */
    public static final int LATENCY_WARMUP_RUNS = 3;

    /** Timed runs of a latency measurement. */
    public static final int LATENCY_RUNS = 20;

    /** Task timeout of the constructor without one, the default of {@code quantfleet.worker.task-timeout}. */
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofMinutes(30);

    /** Maximum wait for a terminated task's runner thread to end before it is abandoned. */
    public static final Duration TERMINATION_GRACE = Duration.ofSeconds(10);

    private final ArtifactStore store;
    private final ArtifactCache cache;
    private final Path workDirectory;
    private final String workerId;
    private final Integer threadsOverride;
    private final ModelLimits modelLimits;
    private final LongSupplier clockMs;
    private final ExecutionProvider executionProvider;
    private final Duration taskTimeout;
    private final Duration terminationGrace;
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicInteger runnerThreads = new AtomicInteger();
    private final List<CountDownLatch> abandoned = new ArrayList<>();
    private volatile ExecutorService runner;
    private volatile RunTermination currentTermination;

    /**
     * Creates a processor on the CPU execution provider with the {@link #DEFAULT_TASK_TIMEOUT}.
     *
     * @see #TaskProcessor(ArtifactStore, ArtifactCache, Path, String, Integer, ModelLimits, LongSupplier,
     *      ExecutionProvider, Duration)
     */
    public TaskProcessor(ArtifactStore store, ArtifactCache cache, Path workDirectory, String workerId,
                         Integer threadsOverride, ModelLimits modelLimits, LongSupplier clockMs) {
        this(store, cache, workDirectory, workerId, threadsOverride, modelLimits, clockMs, ExecutionProvider.cpu(),
                DEFAULT_TASK_TIMEOUT);
    }

    /**
     * @param store           where produced files are uploaded
     * @param cache           where the task's artifacts are fetched through
     * @param workDirectory   parent of the per-task folders
     * @param workerId        recorded in every result
     * @param threadsOverride session threads for every task instead of the task's own; null to
     *                        use the task's. Results may then differ from other workers'.
     * @param modelLimits     limits the float model is loaded with
     * @param clockMs         epoch milliseconds, for the timings and the time limit
     * @param executionProvider the provider of every session
     * @param taskTimeout     maximum run time of one task; positive
     */
    public TaskProcessor(ArtifactStore store, ArtifactCache cache, Path workDirectory, String workerId,
                         Integer threadsOverride, ModelLimits modelLimits, LongSupplier clockMs,
                         ExecutionProvider executionProvider, Duration taskTimeout) {
        this(store, cache, workDirectory, workerId, threadsOverride, modelLimits, clockMs, executionProvider,
                taskTimeout, TERMINATION_GRACE);
    }

    /** Creates a processor that waits {@code terminationGrace} instead of {@link #TERMINATION_GRACE}, for tests. */
    TaskProcessor(ArtifactStore store, ArtifactCache cache, Path workDirectory, String workerId,
                  Integer threadsOverride, ModelLimits modelLimits, LongSupplier clockMs,
                  ExecutionProvider executionProvider, Duration taskTimeout, Duration terminationGrace) {
        if (taskTimeout.isZero() || taskTimeout.isNegative()) {
            throw new IllegalArgumentException("taskTimeout is " + taskTimeout + "; it must be positive, e.g. PT30M");
        }
        this.store = store;
        this.cache = cache;
        this.workDirectory = workDirectory;
        this.workerId = workerId;
        this.threadsOverride = threadsOverride;
        this.modelLimits = modelLimits;
        this.clockMs = clockMs;
        this.executionProvider = executionProvider;
        this.taskTimeout = taskTimeout;
        this.terminationGrace = terminationGrace;
        this.runner = newRunner();
    }

    /** Returns whether {@code task} has a deadline that passed at {@code nowMs}, so no worker should start it. */
    public static boolean isExpired(Task task, long nowMs) {
        return task.deadlineMs() != null && nowMs > task.deadlineMs();
    }

    /** Bytes uploaded to the artifact store since this processor was created. */
    public long bytesUploaded() {
        return bytesUploaded.get();
    }

    /** Returns the provider that every session of this processor runs on. */
    public ExecutionProvider executionProvider() {
        return executionProvider;
    }

    /** Returns how many abandoned runner threads still run a task that passed its time limit. */
    public int abandonedTasksRunning() {
        synchronized (abandoned) {
            abandoned.removeIf(finished -> finished.getCount() == 0);
            return abandoned.size();
        }
    }

    /**
     * Runs {@code task} within its time limit and returns its result, a FAILED or UNSUPPORTED one
     * on failure. Runs one task at a time: the caller must not call it again before it returns.
     * An interrupt of the calling thread terminates the task's runs and returns a FAILED result
     * at once, without waiting for the runner thread.
     *
     * @param queuedAtMs when the coordinator sent the task, e.g. the Kafka record's time stamp
     */
    public TaskResult process(Task task, long queuedAtMs) {
        long startedAtMs = clockMs.getAsLong();
        EvaluationSettings settings = settings(task.settings());
        TaskTimeLimit limit = TaskTimeLimit.of(task, startedAtMs, taskTimeout);
        Outcome outcome = limit.remainingMs(startedAtMs) <= 0
                ? Outcome.failed(limit.exceededReason(0))
                : runWithin(task, settings, limit, startedAtMs);
        long finishedAtMs = Math.max(startedAtMs, clockMs.getAsLong());
        LOG.info("Task {} attempt {} ended {} in {} ms", task.taskId(), task.attempt(), outcome.evaluation().status(),
                finishedAtMs - startedAtMs);
        return TaskResult.of(task, outcome.evaluation(), outcome.produced(),
                new TaskTimings(queuedAtMs, startedAtMs, finishedAtMs), workerId, provenance(settings.threads()));
    }

    /** Runs the task on the runner thread and waits for it until {@code limit}, as the class comment draws. */
    private Outcome runWithin(Task task, EvaluationSettings settings, TaskTimeLimit limit, long startedAtMs) {
        RunTermination termination = new RunTermination();
        CountDownLatch finished = new CountDownLatch(1);
        Map<String, String> context = MDC.getCopyOfContextMap();
        currentTermination = termination;
        Future<Outcome> future;
        try {
            future = runner.submit(() -> {
                MDC.setContextMap(context == null ? Map.of() : context);
                try (RunTermination.Binding binding = termination.bind()) {
                    return run(task, settings);
                } finally {
                    MDC.clear();
                    finished.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            currentTermination = null;
            LOG.warn("Task {} attempt {} not started: the processor is closed", task.taskId(), task.attempt());
            return Outcome.failed("The worker stopped before the task started");
        }
        try {
            return future.get(Math.max(1, limit.remainingMs(clockMs.getAsLong())), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String reason = limit.exceededReason(clockMs.getAsLong() - startedAtMs);
            LOG.warn("Task {} attempt {}: {}", task.taskId(), task.attempt(), reason);
            stop(future, termination, finished, reason);
            return Outcome.failed(reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            String reason = "The worker stopped while the task ran";
            LOG.warn("Task {} attempt {}: {}; terminated its runs", task.taskId(), task.attempt(), reason);
            termination.terminate(reason);
            future.cancel(true);
            return Outcome.failed(reason);
        } catch (ExecutionException e) {
            return Outcome.withoutFiles(failure(task, e.getCause()));
        } finally {
            currentTermination = null;
        }
    }

    /** Terminates the task's runs, interrupts it and waits for its runner thread, abandoning it after the grace. */
    private void stop(Future<Outcome> future, RunTermination termination, CountDownLatch finished, String reason) {
        termination.terminate(reason);
        future.cancel(true);
        boolean ended;
        try {
            ended = finished.await(terminationGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = finished.getCount() == 0;
        }
        if (!ended) {
            abandon(finished);
        }
    }

    private void abandon(CountDownLatch finished) {
        synchronized (abandoned) {
            abandoned.add(finished);
        }
        runner.shutdownNow();
        runner = newRunner();
        LOG.error("A terminated task's runner thread did not end within {}; abandoned it, so its sessions and task "
                + "folder stay until it ends. Later tasks run on a new thread", terminationGrace);
    }

    private Outcome run(Task task, EvaluationSettings settings) {
        try (TaskWorkspace workspace = TaskWorkspace.create(workDirectory, cache)) {
            TaskFiles files = workspace.fetch(task.artifacts());
            TaskRunner taskRunner = new TaskRunner(TaskMetricChoice.forTask(task), settings, modelLimits);
            TaskRun run = taskRunner.run(task.kind(), task.config(), files, workspace.outputDirectory());
            ProducedArtifacts produced = upload(run);
            return new Outcome(withCalibrationCost(task.kind(), run.evaluation(), task), produced);
        } catch (Exception | OutOfMemoryError e) {
            return Outcome.withoutFiles(failure(task, e));
        }
    }

    private EvaluationSettings settings(TaskSettings taskSettings) {
        int threads = threadsOverride != null ? threadsOverride : taskSettings.threads();
        EvaluationSettings settings = EvaluationSettings.of(threads).withExecutionProvider(executionProvider);
        return taskSettings.measureLatency() ? settings.withLatency(LATENCY_WARMUP_RUNS, LATENCY_RUNS) : settings;
    }

    private ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quantfleet-task-runner-" + runnerThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Terminates the running task, if any, and waits up to {@link #TERMINATION_GRACE} for the
     * runner thread to end, so that its native resources are freed before the process exits.
     */
    @Override
    public void close() {
        RunTermination termination = currentTermination;
        if (termination != null) {
            termination.terminate("The worker stopped");
        }
        runner.shutdownNow();
        try {
            if (!runner.awaitTermination(terminationGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The task runner thread did not end within {} of the worker's stop", terminationGrace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The evaluation of a task and the files it uploaded. */
    private record Outcome(Evaluation evaluation, ProducedArtifacts produced) {

        static Outcome failed(String reason) {
            return withoutFiles(Evaluation.failed(reason));
        }

        static Outcome withoutFiles(Evaluation evaluation) {
            return new Outcome(evaluation, ProducedArtifacts.none());
        }
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

    private Provenance provenance(int threads) {
        try {
            return Provenance.current(executionProvider, threads);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Failed to read the provenance of this worker; the result carries none", e);
            return null;
        }
    }
}
