package dev.quantfleet.fleet;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.StopReason;
import dev.quantfleet.engine.search.TaskKind;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real fleet in one JVM under failures: a worker killed in the middle of a task, a coordinator
 * restarted in the middle of a search, and requests that cannot run. Each search that completes
 * must still give {@link dev.quantfleet.engine.job.LocalSearch}'s model byte for byte.
 */
class FleetFailureTest {

    private static final String POOL = "cpu";
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REJECTION_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void searchSurvivesKilledWorker() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        CrashOnFirstEvaluate crasher = new CrashOnFirstEvaluate(CrashOnFirstEvaluate.Mode.KILL);
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 3_000, 3))) {
            fleet.startCoordinator();
            List<FleetWorker> workers = fleet.startWorkers(2, workerId -> crasher);
            fleet.submit(ChainSearch.request("crash", ChainSearch.upload(fleet.store(), files), POOL));
            SearchOutcome outcome = fleet.awaitOutcome("crash", OUTCOME_TIMEOUT);

            ChainSearch.assertMatchesReference(outcome, fleet.store(), files);
            CrashOnFirstEvaluate.Crash crash = crasher.crash();
            assertThat(crash).as("the crash of a worker").isNotNull();
            FleetWorker killed = workers.stream().filter(worker -> worker.workerId().equals(crash.workerId()))
                    .findFirst().orElseThrow();
            assertThat(killed.isStopped()).isTrue();
            List<TaskResult> crashedTaskResults = fleet.results("crash").stream()
                    .filter(result -> result.taskId().equals(crash.taskId())).toList();
            assertThat(crashedTaskResults).as("results of the task %s that %s died in", crash.taskId(),
                    crash.workerId()).isNotEmpty().allSatisfy(result -> {
                        assertThat(result.workerId()).isNotEqualTo(crash.workerId());
                        assertThat(result.status()).isEqualTo(EvaluationStatus.OK);
                    });
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void searchSurvivesHungWorker() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        CrashOnFirstEvaluate hang = new CrashOnFirstEvaluate(CrashOnFirstEvaluate.Mode.HANG);
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 3_000, 3))) {
            fleet.startCoordinator();
            List<FleetWorker> workers = fleet.startWorkers(2, workerId -> hang);
            fleet.submit(ChainSearch.request("hang", ChainSearch.upload(fleet.store(), files), POOL));
            SearchOutcome outcome = fleet.awaitOutcome("hang", OUTCOME_TIMEOUT);

            ChainSearch.assertMatchesReference(outcome, fleet.store(), files);
            CrashOnFirstEvaluate.Crash stuck = hang.crash();
            assertThat(stuck).as("the hang of a worker").isNotNull();
            assertThat(workers).allSatisfy(worker -> assertThat(worker.isPolling()).isTrue());
            assertThat(fleet.results("hang")).filteredOn(result -> result.taskId().equals(stuck.taskId()))
                    .as("results of the task %s that %s hangs in", stuck.taskId(), stuck.workerId())
                    .isNotEmpty().allSatisfy(result -> {
                        assertThat(result.workerId()).isNotEqualTo(stuck.workerId());
                        assertThat(result.attempt()).isGreaterThan(1);
                        assertThat(result.status()).isEqualTo(EvaluationStatus.OK);
                    });
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void searchDeadlineClosesRoundsEarly() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        CrashOnFirstEvaluate hang = new CrashOnFirstEvaluate(CrashOnFirstEvaluate.Mode.HANG);
        // Rounds may take 10 minutes per attempt; the search's own 10 s deadline must end it first.
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 600_000, 3))) {
            fleet.startCoordinator();
            fleet.startWorkers(1, workerId -> hang);
            long sentAtNanos = System.nanoTime();
            fleet.submit(ChainSearch.requestWithDeadline("deadline", ChainSearch.upload(fleet.store(), files), POOL,
                    10_000));
            SearchOutcome outcome = fleet.awaitOutcome("deadline", OUTCOME_TIMEOUT);
            long endedAfterMs = (System.nanoTime() - sentAtNanos) / 1_000_000;

            assertThat(hang.crash()).as("the hang of the only worker").isNotNull();
            assertThat(endedAfterMs).isLessThan(40_000);
            assertThat(outcome.stopReason()).isEqualTo(StopReason.DEADLINE);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void failedBaselineRejectsBeforeCalibrationEnds() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        HoldCalibration hold = new HoldCalibration();
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 60_000, 2))) {
            ChainSearch.Uploaded uploaded = ChainSearch.upload(fleet.store(), files);
            // The model hides its output width, so only the worker's BASELINE run finds that 999 is no class.
            Path openWidth = directory.resolve("open-width.onnx");
            ModelIo.save(ChainModel.withSymbolicOutputWidth(ModelProto.parseFrom(Files.readAllBytes(files.model()))),
                    openWidth);
            ArtifactRef model = fleet.store().putContent(openWidth);
            ArtifactRef labels = fleet.store().putNamed("uploads/labels/out-of-range.txt",
                    "999\n".repeat(16).getBytes(StandardCharsets.UTF_8));
            fleet.startCoordinator();
            fleet.startWorkers(InJvmFleet.PARTITIONS, workerId -> hold);
            String requestId = requestIdWithRoundZeroOnTwoPartitions("bad-labels");

            try {
                fleet.submit(ChainSearch.request(requestId, model, calibration(uploaded, "calibration.npy"),
                        evaluation(uploaded, "evaluation.npy"), labels, "accuracy", POOL));
                SearchOutcome outcome = fleet.awaitOutcome(requestId, REJECTION_TIMEOUT);

                assertThat(fleet.aggregatorCounters().completedRounds()).as("rounds closed before the rejection")
                        .isZero();
                assertThat(outcome.status()).isEqualTo(OutcomeStatus.REJECTED);
                assertThat(outcome.rejectionReasons()).singleElement().satisfies(reason -> {
                    assertThat(reason).contains("The float model could not be evaluated");
                    assertThat(reason).contains("Label 999 of evaluation sample 1 (evaluation.npy, sample 0)");
                    assertThat(reason).doesNotContain(directory.toString());
                });
                Poll.until("the CALIBRATE task to be held", OUTCOME_TIMEOUT, () -> hold.heldTaskId() != null);
                Poll.until("the aggregator to delete the state of " + requestId, OUTCOME_TIMEOUT,
                        () -> !fleet.aggregatorHasRoundState(requestId));
            } finally {
                hold.release();
            }
            Poll.until("the late CALIBRATE result to be ignored", OUTCOME_TIMEOUT,
                    () -> fleet.aggregatorCounters().ignoredResults() >= 1);
            assertThat(fleet.aggregatorCounters().resentTasks()).isZero();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void dataAndLabelsMismatchRejectedAtIntake() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 60_000, 2))) {
            ChainSearch.Uploaded good = ChainSearch.upload(fleet.store(), files);
            ArtifactRef outOfRange = fleet.store().putNamed("uploads/labels/out-of-range.txt",
                    "999\n".repeat(16).getBytes(StandardCharsets.UTF_8));
            ArtifactRef tooFew = fleet.store().putNamed("uploads/labels/too-few.txt",
                    "1\n".repeat(15).getBytes(StandardCharsets.UTF_8));
            // Sample 0 fits the model; sample 9 has a NaN, which the workers reject when they read it.
            ArtifactRef nanData = fleet.store().putContent(ChainModel.writeInputsWithNan(
                    directory.resolve("late-nan.npy"), 16, 19, 9));
            // Intake needs no worker: a request that intake let through would time out here.
            fleet.startCoordinator();

            fleet.submit(ChainSearch.request("range-labels", good.model(), calibration(good, "calibration.npy"),
                    evaluation(good, "evaluation.npy"), outOfRange, "accuracy", POOL));
            fleet.submit(ChainSearch.request("count-labels", good.model(), calibration(good, "calibration.npy"),
                    evaluation(good, "evaluation.npy"), tooFew, "accuracy", POOL));
            fleet.submit(ChainSearch.request("no-labels", good.model(), calibration(good, "calibration.npy"),
                    evaluation(good, "evaluation.npy"), null, "accuracy", POOL));
            fleet.submit(ChainSearch.request("late-nan", good.model(), new DataReference(nanData, "late-nan.npy",
                    null, null), evaluation(good, "evaluation.npy"), null, "cosine", POOL));

            assertThat(rejectionOf(fleet, "range-labels")).contains("goal.metric 'accuracy' cannot be computed on"
                    + " evaluationData 'evaluation.npy' with labels 'out-of-range.txt'",
                    "Label 999 of evaluation sample 1 (evaluation.npy, sample 0)", "scores classes 0 to 15");
            assertThat(rejectionOf(fleet, "count-labels")).contains("labels 'too-few.txt' has 15 labels, but"
                    + " evaluationData 'evaluation.npy' has 16 samples");
            assertThat(rejectionOf(fleet, "no-labels")).contains("goal.metric 'accuracy' cannot be computed on"
                    + " evaluationData 'evaluation.npy'", "needs class labels");
            assertThat(rejectionOf(fleet, "late-nan")).contains("calibrationData 'late-nan.npy' does not fit the"
                    + " model", "NaN values in late-nan.npy, sample 9");
        }
    }
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void searchResumesAfterCoordinatorRestart() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 60_000, 2))) {
            fleet.startCoordinator();
            fleet.startWorkers(2);
            fleet.submit(ChainSearch.request("restart", ChainSearch.upload(fleet.store(), files), POOL));
            fleet.awaitRoundPlan("restart", 1, OUTCOME_TIMEOUT);
            fleet.stopCoordinator();
            Poll.until("round 1 to close while no coordinator runs", OUTCOME_TIMEOUT,
                    () -> fleet.aggregatorCounters().completedRounds() >= 2);
            fleet.startCoordinator();
            SearchOutcome outcome = fleet.awaitOutcome("restart", OUTCOME_TIMEOUT);

            ChainSearch.assertMatchesReference(outcome, fleet.store(), files);
            List<Integer> plannedRounds = fleet.roundPlans("restart").stream().map(RoundOpened::round).toList();
            assertThat(plannedRounds).as("rounds planned, each once").doesNotHaveDuplicates().contains(0, 1, 2);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void badRequestsRejectedGoodOneCompletes() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 60_000, 2))) {
            ChainSearch.Uploaded good = ChainSearch.upload(fleet.store(), files);
            ArtifactRef corruptModel = fleet.store().putContent("this is not an ONNX model"
                    .getBytes(StandardCharsets.UTF_8));
            ArtifactRef narrowData = fleet.store().putContent(ChainModel.writeInputs(directory.resolve("narrow.npy"),
                    16, ChainModel.WIDTH / 2, 17));
            fleet.startCoordinator();
            fleet.startWorkers(2);

            long sentAtNanos = System.nanoTime();
            fleet.submit(ChainSearch.request("corrupt-model", corruptModel, good.calibration(), good.evaluation(),
                    POOL));
            fleet.submit(ChainSearch.request("narrow-data", good.model(), good.calibration(), narrowData, POOL));
            fleet.submit(ChainSearch.request("good", good, POOL));
            SearchOutcome corrupt = fleet.awaitOutcome("corrupt-model", REJECTION_TIMEOUT);
            SearchOutcome narrow = fleet.awaitOutcome("narrow-data", REJECTION_TIMEOUT);
            long rejectedAfterMs = (System.nanoTime() - sentAtNanos) / 1_000_000;
            SearchOutcome completed = fleet.awaitOutcome("good", OUTCOME_TIMEOUT);

            assertThat(rejectedAfterMs).isLessThan(REJECTION_TIMEOUT.toMillis());
            assertThat(corrupt.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(corrupt.rejectionReasons()).anySatisfy(reason ->
                    assertThat(reason).contains("model.onnx").contains("not a readable ONNX model"));
            assertThat(narrow.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(narrow.rejectionReasons()).anySatisfy(reason ->
                    assertThat(reason).contains("evaluationData 'evaluation.npy' does not fit the model")
                            .contains("in evaluation.npy, sample 0").doesNotContain(directory.toString()));
            assertThat(fleet.roundPlans("corrupt-model")).isEmpty();
            assertThat(fleet.roundPlans("narrow-data")).isEmpty();
            ChainSearch.assertMatchesReference(completed, fleet.store(), files);
        }
    }

    /**
     * Returns the only rejection reason of {@code requestId}, waiting at most {@link #REJECTION_TIMEOUT},
     * and checks that no round was planned and that the reason shows no path of the coordinator's copies.
     */
    private String rejectionOf(InJvmFleet fleet, String requestId) {
        SearchOutcome outcome = fleet.awaitOutcome(requestId, REJECTION_TIMEOUT);
        assertThat(outcome.status()).as("status of %s", requestId).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(fleet.roundPlans(requestId)).as("round plans of %s", requestId).isEmpty();
        assertThat(outcome.rejectionReasons()).as("reasons of %s", requestId).hasSize(1);
        String reason = outcome.rejectionReasons().get(0);
        assertThat(reason).as("reason of %s", requestId).doesNotContain(directory.toString(), "coordinator-cache");
        return reason;
    }

    private static DataReference calibration(ChainSearch.Uploaded uploaded, String fileName) {
        return new DataReference(uploaded.calibration(), fileName, null, null);
    }

    private static DataReference evaluation(ChainSearch.Uploaded uploaded, String fileName) {
        return new DataReference(uploaded.evaluation(), fileName, null, null);
    }

    /**
     * Returns {@code base} or {@code base-N} for the smallest N such that the BASELINE and CALIBRATE
     * tasks of round 0 are keyed to different partitions, so that two workers take them at once.
     */
    private static String requestIdWithRoundZeroOnTwoPartitions(String base) {
        for (int suffix = 0; ; suffix++) {
            String requestId = suffix == 0 ? base : base + "-" + suffix;
            if (partitionOf(requestId, TaskKind.BASELINE) != partitionOf(requestId, TaskKind.CALIBRATE)) {
                return requestId;
            }
        }
    }

    /** Returns the partition that the producer's default partitioner picks for the task's id as key. */
    private static int partitionOf(String requestId, TaskKind kind) {
        String taskId = SearchIds.taskId(requestId, 0, kind, SearchIds.FLOAT_MODEL_ID);
        return Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % InJvmFleet.PARTITIONS;
    }
}
