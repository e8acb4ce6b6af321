package dev.quantfleet.fleet;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.search.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
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
    void failedFloatModelRejectsRequest() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings(POOL, 60_000, 2))) {
            ChainSearch.Uploaded uploaded = ChainSearch.upload(fleet.store(), files);
            // One label per evaluation sample, every one outside the model's output classes.
            ArtifactRef labels = fleet.store().putContent("999\n".repeat(16).getBytes(StandardCharsets.UTF_8));
            fleet.startCoordinator();
            fleet.startWorkers(1);

            fleet.submit(ChainSearch.accuracyRequest("bad-labels", uploaded, labels, POOL));
            SearchOutcome outcome = fleet.awaitOutcome("bad-labels", OUTCOME_TIMEOUT);

            assertThat(outcome.status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(outcome.rejectionReasons()).anySatisfy(reason ->
                    assertThat(reason).contains("The float model could not be evaluated").contains("Label 999"));
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
                    assertThat(reason).contains("evaluationData").contains("does not fit the model"));
            assertThat(fleet.roundPlans("corrupt-model")).isEmpty();
            assertThat(fleet.roundPlans("narrow-data")).isEmpty();
            ChainSearch.assertMatchesReference(completed, fleet.store(), files);
        }
    }
}
