package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchDriverTest {

    private static SearchRequest request(FakeModel model, String strategy, int maxTrials, long seed) {
        return new SearchRequest("req", FakeModel.inputs(), model.facts(21), SearchSpace.defaults(), FakeModel.goal(),
                strategy, SearchBudget.trials(maxTrials), seed, null);
    }

    /**
     * Runs the rounds of a search one task after the other, from the stored {@code results} on,
     * until the driver stops or plans a round after {@code lastRound}; returns that plan.
     */
    private static RoundPlan drive(SearchDriver driver, SearchRequest request, TaskExecutor executor,
                                   SensitivityCache cache, List<CandidateResult> results, int lastRound) {
        if (results.isEmpty()) {
            results.addAll(execute(driver.firstRound(request), executor));
        }
        while (true) {
            RoundPlan plan = driver.nextRound(request, results, Duration.ZERO);
            if (plan.stops() || plan.round() > lastRound) {
                return plan;
            }
            results.addAll(plan.cachedResults());
            List<CandidateResult> finished = execute(plan.tasks(), executor);
            if (cache != null) {
                finished.forEach(result -> cache.storeProbe(request, result));
            }
            results.addAll(finished);
        }
    }

    private static SearchOutcome runToEnd(SearchDriver driver, SearchRequest request, TaskExecutor executor,
                                          SensitivityCache cache) {
        List<CandidateResult> results = new ArrayList<>();
        RoundPlan last = drive(driver, request, executor, cache, results, Integer.MAX_VALUE);
        return driver.outcome(request, results, last.stopReason(), Duration.ZERO);
    }

    private static List<CandidateResult> execute(List<SearchTask> tasks, TaskExecutor executor) {
        return tasks.stream().map(task -> CandidateResult.of(task, executor.execute(task))).toList();
    }

    /** Returns a driver that hands out one strategy instance per name for its whole life. */
    private static SearchDriver driverWithOneInstance() {
        Map<String, SearchStrategy> instances = new HashMap<>();
        return new SearchDriver(null, name -> instances.computeIfAbsent(name, SearchStrategies::create));
    }

    /** Grid proposes up to 256 candidates a round, so it needs more trials than that for a second round. */
    @ParameterizedTest
    @CsvSource({"auto, 60, 4", "presets, 10, 1", "grid, 300, 2", "random, 40, 4", "tpe, 40, 8"})
    void freshStrategyPerRoundMatchesOneInstance(String strategy, int maxTrials, int minRounds) {
        SearchRequest request = request(new FakeModel(), strategy, maxTrials, 11);

        SearchOutcome fresh = runToEnd(new SearchDriver(null), request, new FakeModel(), null);
        SearchOutcome oneInstance = runToEnd(driverWithOneInstance(), request, new FakeModel(), null);

        assertThat(fresh.results().stream().mapToInt(CandidateResult::round).max().orElseThrow())
                .isGreaterThanOrEqualTo(minRounds);
        assertThat(fresh.toJson()).isEqualTo(oneInstance.toJson());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "grid", "tpe"})
    void driverMatchesInProcessSearch(String strategy) {
        SearchRequest request = request(new FakeModel(), strategy, 40, 3);

        SearchOutcome driven = runToEnd(new SearchDriver(null), request, new FakeModel(), null);
        SearchOutcome inProcess = new InProcessSearch(new FakeModel(), 3).run(request);

        assertThat(driven.results()).isEqualTo(inProcess.results());
        assertThat(driven.winner()).isEqualTo(inProcess.winner());
        assertThat(driven.stopReason()).isEqualTo(inProcess.stopReason());
        assertThat(driven.trials()).isEqualTo(inProcess.trials());
    }

    @ParameterizedTest
    @CsvSource({"auto, 60", "grid, 600", "random, 40", "tpe, 40"})
    void restartAfterRoundTwoGivesSameOutcome(String strategy, int maxTrials) {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, strategy, maxTrials, 11);
        SearchOutcome uninterrupted = runToEnd(new SearchDriver(null), request, model, null);

        List<CandidateResult> stored = new ArrayList<>();
        drive(new SearchDriver(null), request, model, null, stored, 2);
        List<CandidateResult> reloaded = stored.stream()
                .map(result -> SearchJson.read(SearchJson.write(result), CandidateResult.class)).toList();
        List<CandidateResult> resumed = new ArrayList<>(reloaded);
        RoundPlan last = drive(new SearchDriver(null), request, model, null, resumed, Integer.MAX_VALUE);
        SearchOutcome afterRestart = new SearchDriver(null).outcome(request, resumed, last.stopReason(), Duration.ZERO);

        assertThat(reloaded).isEqualTo(stored);
        assertThat(stored).extracting(CandidateResult::round).containsOnly(0, 1, 2);
        assertThat(afterRestart.results().size()).isGreaterThan(stored.size());
        assertThat(afterRestart.toJson()).isEqualTo(uninterrupted.toJson());
    }

    @Test
    void autoResumesInsideMixedPrecision() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "auto", 60, 11);
        List<CandidateResult> stored = new ArrayList<>();
        RoundPlan third = drive(new SearchDriver(null), request, model, null, stored, 2);

        RoundPlan replanned = new SearchDriver(null).nextRound(request, stored, Duration.ZERO);

        // Round 1 ran the presets, round 2 the probes, so round 3 keeps the most sensitive units in float.
        assertThat(stored).filteredOn(result -> result.round() == 2)
                .allMatch(result -> result.kind() == TaskKind.SENSITIVITY);
        assertThat(replanned).isEqualTo(third);
        assertThat(replanned.round()).isEqualTo(3);
        assertThat(replanned.tasks()).isNotEmpty().allMatch(task -> task.kind() == TaskKind.EVALUATE
                && !task.config().nodeOverrides().isEmpty());
    }

    @Test
    void shuffledResultsGiveSamePlan() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "auto", 60, 11);
        List<CandidateResult> stored = new ArrayList<>();
        drive(new SearchDriver(null), request, model, null, stored, 3);
        List<CandidateResult> shuffled = new ArrayList<>(stored);
        Collections.shuffle(shuffled, new Random(5));

        RoundPlan fromSorted = new SearchDriver(null).nextRound(request, stored, Duration.ZERO);
        RoundPlan fromShuffled = new SearchDriver(null).nextRound(request, shuffled, Duration.ZERO);

        assertThat(shuffled).isNotEqualTo(stored);
        assertThat(fromShuffled.tasks()).isNotEmpty();
        assertThat(fromShuffled).isEqualTo(fromSorted);
    }

    @Test
    void deadlinePassedStops() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "grid", 100, 0)
                .withBudget(new SearchBudget(100, Duration.ofSeconds(5), false));
        SearchDriver driver = new SearchDriver(null);
        List<CandidateResult> roundZero = execute(driver.firstRound(request), model);

        RoundPlan before = driver.nextRound(request, roundZero, Duration.ofMillis(4999));
        RoundPlan at = driver.nextRound(request, roundZero, Duration.ofSeconds(5));

        assertThat(before.stops()).isFalse();
        assertThat(before.tasks()).hasSize(100);
        assertThat(at.stopReason()).isEqualTo(StopReason.DEADLINE);
        assertThat(at.tasks()).isEmpty();
        assertThat(at.round()).isEqualTo(1);
    }

    @Test
    void cachedProbesBecomeResults(@TempDir Path cacheDirectory) {
        SensitivityCache cache = new SensitivityCache(cacheDirectory);
        SearchDriver driver = new SearchDriver(cache);
        SearchRequest request = request(new FakeModel(), "auto", 40, 11);
        runToEnd(driver, request, new FakeModel(), cache);
        List<CandidateResult> stored = new ArrayList<>();
        drive(driver, request, new FakeModel(), cache, stored, 1);

        RoundPlan probes = driver.nextRound(request, stored, Duration.ZERO);

        assertThat(probes.stops()).isFalse();
        assertThat(probes.round()).isEqualTo(2);
        assertThat(probes.tasks()).isEmpty();
        assertThat(probes.cachedResults()).hasSize(9)
                .allMatch(result -> result.kind() == TaskKind.SENSITIVITY && result.cached() && result.round() == 2)
                .extracting(CandidateResult::label).contains(FakeModel.SENSITIVE_NODE);
        assertThat(new SearchDriver(null).nextRound(request, stored, Duration.ZERO).tasks())
                .hasSize(9).allMatch(task -> task.kind() == TaskKind.SENSITIVITY && task.label() != null);
    }

    @Test
    void cachedProbesSpendNoTrials(@TempDir Path cacheDirectory) {
        SensitivityCache cache = new SensitivityCache(cacheDirectory);
        SearchRequest request = request(new FakeModel(), "auto", 40, 11);
        SearchOutcome first = runToEnd(new SearchDriver(cache), request, new FakeModel(), cache);
        FakeModel second = new FakeModel();

        SearchOutcome repeated = runToEnd(new SearchDriver(cache), request, second, cache);

        assertThat(second.calls(TaskKind.SENSITIVITY)).isZero();
        assertThat(repeated.results()).filteredOn(CandidateResult::cached).hasSize(9);
        assertThat(repeated.sensitivity()).isEqualTo(first.sensitivity());
        assertThat(repeated.winner().config()).isEqualTo(first.winner().config());
    }

    @Test
    void firstRoundRunsFloatModel() {
        List<SearchTask> tasks = new SearchDriver(null).firstRound(request(new FakeModel(), "auto", 10, 0));

        assertThat(tasks).extracting(SearchTask::taskId)
                .containsExactly("req/r0000/BASELINE/float", "req/r0000/CALIBRATE/float");
        assertThat(tasks).allMatch(task -> task.config() == null && task.round() == 0);
    }

    @Test
    void failedBaselineStops() {
        SearchRequest request = request(new FakeModel(), "auto", 10, 0);
        SearchDriver driver = new SearchDriver(null);
        List<CandidateResult> failed = driver.firstRound(request).stream()
                .map(task -> CandidateResult.of(task, Evaluation.failed("out of memory"))).toList();

        RoundPlan plan = driver.nextRound(request, failed, Duration.ZERO);
        SearchOutcome outcome = driver.outcome(request, failed, plan.stopReason(), Duration.ofMillis(12));

        assertThat(plan.stopReason()).isEqualTo(StopReason.BASELINE_FAILED);
        assertThat(outcome.winner()).isNull();
        assertThat(outcome.trials()).isZero();
        assertThat(outcome.wallTimeMs()).isEqualTo(12);
    }

    @Test
    void missingBaselineIsRejected() {
        SearchRequest request = request(new FakeModel(), "auto", 10, 0);

        assertThatThrownBy(() -> new SearchDriver(null).nextRound(request, List.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("req/r0000/BASELINE/float");
    }

    @Test
    void duplicateTaskIdIsRejected() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "auto", 10, 0);
        List<CandidateResult> roundZero = execute(new SearchDriver(null).firstRound(request), model);
        List<CandidateResult> twice = new ArrayList<>(roundZero);
        twice.add(roundZero.get(1));

        assertThatThrownBy(() -> new SearchDriver(null).nextRound(request, twice, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("req/r0000/CALIBRATE/float has two results");
    }

    /** a8w8 with the node that FakeModel makes sensitive kept in float: acceptable, and no preset is. */
    private static QuantConfig keepSensitiveInFloat() {
        return Presets.byName("a8w8").toBuilder()
                .nodeOverrides(Map.of(FakeModel.SENSITIVE_NODE, NodeOverride.keepInFloat())).build();
    }

    @Test
    void warmStartTakesTheBudgetFirst() {
        FakeModel model = new FakeModel();
        QuantConfig keepFloat = keepSensitiveInFloat();
        QuantConfig unknownNode = Presets.byName("a8w8").toBuilder()
                .nodeOverrides(Map.of("/no/such/MatMul", NodeOverride.keepInFloat())).build();
        QuantConfig a8w8 = Presets.byName("a8w8");
        SearchRequest request = request(model, "presets", 3, 0)
                .withWarmStart(List.of(unknownNode, keepFloat, a8w8, keepFloat));
        SearchDriver driver = new SearchDriver(null);
        List<CandidateResult> roundZero = execute(driver.firstRound(request), model);

        RoundPlan plan = driver.nextRound(request, roundZero, Duration.ZERO);

        assertThat(plan.round()).isEqualTo(SearchDriver.WARM_START_ROUND);
        // Three trials: the two valid warm starts, then the first preset that is not a8w8.
        assertThat(plan.tasks()).extracting(SearchTask::candidateId).containsExactlyInAnyOrder(
                SearchIds.candidateId(keepFloat), SearchIds.candidateId(a8w8),
                SearchIds.candidateId(Presets.byName("a8w8-percentile")));
        assertThat(plan.tasks()).allMatch(task -> task.kind() == TaskKind.EVALUATE);
    }

    @Test
    void warmStartAloneWhenBudgetIsOneTrial() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "auto", 1, 0).withWarmStart(List.of(keepSensitiveInFloat()));

        SearchOutcome outcome = runToEnd(new SearchDriver(null), request, model, null);

        assertThat(outcome.trials()).isEqualTo(1);
        assertThat(outcome.stopReason()).isEqualTo(StopReason.MAX_TRIALS);
        assertThat(outcome.winner().candidateId()).isEqualTo(SearchIds.candidateId(keepSensitiveInFloat()));
        assertThat(outcome.winner().round()).isEqualTo(1);
        assertThat(outcome.acceptable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "presets", "grid", "random", "tpe"})
    void warmStartRunsOnceInRoundOne(String strategy) {
        FakeModel model = new FakeModel();
        QuantConfig keepFloat = keepSensitiveInFloat();
        SearchRequest request = request(model, strategy, 30, 5).withWarmStart(List.of(keepFloat));

        SearchOutcome first = runToEnd(new SearchDriver(null), request, model, null);
        SearchOutcome second = runToEnd(new SearchDriver(null), request, new FakeModel(), null);

        List<CandidateResult> warm = first.results().stream()
                .filter(result -> result.candidateId().equals(SearchIds.candidateId(keepFloat))).toList();
        assertThat(warm).hasSize(1);
        assertThat(warm.get(0).round()).isEqualTo(1);
        assertThat(warm.get(0).kind()).isEqualTo(TaskKind.EVALUATE);
        assertThat(first.trials()).isLessThanOrEqualTo(30);
        assertThat(first.acceptable()).isTrue();
        assertThat(second.toJson()).isEqualTo(first.toJson());
    }

    @Test
    void warmStartSurvivesRestart() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "auto", 40, 3).withWarmStart(List.of(keepSensitiveInFloat()));
        SearchDriver driver = new SearchDriver(null);
        List<CandidateResult> results = new ArrayList<>();
        drive(driver, request, model, null, results, 2);

        RoundPlan resumed = drive(new SearchDriver(null), request, model, null, results, Integer.MAX_VALUE);
        SearchOutcome restarted = driver.outcome(request, results, resumed.stopReason(), Duration.ZERO);

        assertThat(restarted.toJson()).isEqualTo(runToEnd(driver, request, new FakeModel(), null).toJson());
    }
}
