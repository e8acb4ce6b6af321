package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.report.HigherPrecisionNode;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.report.SearchReports;
import dev.quantfleet.engine.runtime.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InProcessSearchTest {

    /**
     * Trials with which the auto search of a 24-layer {@link FakeModel} probes 20 runs, one of them
     * /layer.2 with the sensitive /layer.3, and keeps 3 trials after mixed precision.
     */
    private static final int TRIALS_FOR_NARROWING = 37;

    private static SearchRequest request(FakeModel model, String strategy, int maxTrials, long seed) {
        return new SearchRequest("req", FakeModel.inputs(), model.facts(21), SearchSpace.defaults(), FakeModel.goal(),
                strategy, SearchBudget.trials(maxTrials), seed, null);
    }

    /** Writes the outcome as JSON without its wall time, the one field that may differ between equal runs. */
    private static String withoutTiming(SearchOutcome outcome) {
        return outcome.toJson().replaceAll("\"wallTimeMs\" : \\d+", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "presets", "grid", "random", "tpe"})
    void sameSeedGivesSameProposals(String strategy) {
        SearchOutcome first = new InProcessSearch(new FakeModel(), 2).run(request(new FakeModel(), strategy, 30, 7));
        SearchOutcome second = new InProcessSearch(new FakeModel(), 2).run(request(new FakeModel(), strategy, 30, 7));

        assertThat(first.strategy()).isEqualTo(strategy);
        assertThat(first.results().size()).isGreaterThan(2);
        assertThat(withoutTiming(second)).isEqualTo(withoutTiming(first));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "tpe"})
    void differentSeedsGiveDifferentProposals(String strategy) {
        SearchOutcome first = new InProcessSearch(new FakeModel(), 2).run(request(new FakeModel(), strategy, 20, 1));
        SearchOutcome second = new InProcessSearch(new FakeModel(), 2).run(request(new FakeModel(), strategy, 20, 2));

        List<String> firstIds = first.results().stream().map(CandidateResult::candidateId).toList();
        List<String> secondIds = second.results().stream().map(CandidateResult::candidateId).toList();
        assertThat(secondIds).isNotEqualTo(firstIds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "tpe", "grid"})
    void oneAndFourThreadsGiveIdenticalOutcomes(String strategy) {
        SearchOutcome single = new InProcessSearch(new FakeModel(), 1).run(request(new FakeModel(), strategy, 40, 3));
        SearchOutcome parallel = new InProcessSearch(new FakeModel(), 4).run(request(new FakeModel(), strategy, 40, 3));

        assertThat(withoutTiming(parallel)).isEqualTo(withoutTiming(single));
    }

    @Test
    void autoKeepsSensitiveNodeInFloat() {
        FakeModel model = new FakeModel();
        SearchOutcome outcome = new InProcessSearch(model, 4).run(request(model, "auto", 60, 11));

        CandidateResult winner = outcome.winner();
        assertThat(outcome.acceptable()).isTrue();
        assertThat(winner.kind()).isEqualTo(TaskKind.EVALUATE);
        assertThat(winner.config().nodeOverrides()).containsEntry(FakeModel.SENSITIVE_NODE, NodeOverride.keepInFloat());
        assertThat(winner.evaluation().quantizedNodes()).doesNotContain(FakeModel.SENSITIVE_NODE);
        assertThat(winner.evaluation().quantizedNodes()).hasSize(8).contains("/embeddings/Gather", "/layer.7/MatMul");
        assertThat(outcome.sensitivity().firstKey()).isNotNull();
        String mostSensitive = outcome.sensitivity().entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(mostSensitive).isEqualTo(FakeModel.SENSITIVE_NODE);
        assertThat(outcome.results()).anyMatch(result -> result.kind() == TaskKind.SENSITIVITY);
        assertThat(outcome.paretoFront()).contains(winner.candidateId());
        assertThat(outcome.trials()).isLessThanOrEqualTo(60);
    }

    @Test
    void autoProbesRunsOfBlocksWhenBlocksExceedBudget() {
        FakeModel model = new FakeModel();
        // 7 presets (5 plus the ContribFused forms of a8w8 and dynamic-int8) leave 5 trials, and probes
        // may take 3. The 9 blocks (/layer.3) cannot be coarsened, so the probes cover runs of 3
        // neighbouring blocks, and 2 trials are left for mixed precision.
        SearchOutcome outcome = new InProcessSearch(model, 2).run(request(model, "auto", 12, 11));

        List<CandidateResult> probes = outcome.results().stream()
                .filter(result -> result.kind() == TaskKind.SENSITIVITY).toList();
        assertThat(probes).extracting(CandidateResult::label).containsExactlyInAnyOrder(
                "/embeddings to /layer.1 (3 nodes)", "/layer.2 to /layer.4 (3 nodes)", "/layer.5 to /layer.7 (3 nodes)");
        String topUnit = outcome.sensitivity().entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(topUnit).isEqualTo("/layer.2 to /layer.4 (3 nodes)");
        assertThat(outcome.results()).anyMatch(result -> result.kind() == TaskKind.EVALUATE
                && result.config().nodeOverrides().containsKey(FakeModel.SENSITIVE_NODE));
        assertThat(outcome.trials()).isEqualTo(12);
        assertThat(outcome.stopReason()).isEqualTo(StopReason.MAX_TRIALS);
    }

    @Test
    void computeObjectiveStartsFromEightBit() {
        FakeModel model = new FakeModel();
        SearchGoal goal = new SearchGoal(FakeModel.METRIC, MetricDirection.HIGHER_IS_BETTER, 0.01, false,
                Objective.COMPUTE);
        SearchRequest request = new SearchRequest("req", FakeModel.inputs(), model.facts(21), SearchSpace.defaults(),
                goal, "auto", SearchBudget.trials(40), 11, null);

        SearchOutcome outcome = new InProcessSearch(model, 2).run(request);

        Set<String> bases = outcome.results().stream().filter(result -> result.kind() == TaskKind.SENSITIVITY)
                .map(CandidateResult::baseCandidateId).collect(Collectors.toSet());
        assertThat(bases).hasSize(1);
        CandidateResult base = outcome.results().stream()
                .filter(result -> result.candidateId().equals(bases.iterator().next())).findFirst().orElseThrow();
        assertThat(base.config().activationType().bits()).isEqualTo(8);
        assertThat(outcome.acceptable()).isTrue();
        CandidateResult winner = outcome.winner();
        assertThat(winner.config().activationType().bits()).isEqualTo(8);
        assertThat(winner.evaluation().cost().integerMacShare()).isEqualTo(7 / 8.0);
        Map<Integer, List<QuantConfig>> byRound = outcome.results().stream()
                .filter(result -> result.kind() == TaskKind.EVALUATE)
                .collect(Collectors.groupingBy(CandidateResult::round,
                        Collectors.mapping(CandidateResult::config, Collectors.toList())));
        assertThat(byRound.entrySet()).as("a round of only the fused form of an earlier candidate")
                .anyMatch(round -> round.getValue().size() == 1
                        && round.getValue().get(0).operatorForm() == OperatorForm.ContribFused
                        && byRound.entrySet().stream().filter(earlier -> earlier.getKey() < round.getKey())
                                .flatMap(earlier -> earlier.getValue().stream())
                                .anyMatch(config -> config.equals(round.getValue().get(0).toBuilder()
                                        .operatorForm(OperatorForm.Standard).build())));
    }

    @Test
    void narrowingQuantizesRunNeighbours() {
        FakeModel model = new FakeModel(200, false, 24);
        SearchRequest request = new SearchRequest("req", FakeModel.inputs(), model.facts(21), SearchSpace.defaults(),
                FakeModel.goal(), "auto", SearchBudget.trials(TRIALS_FOR_NARROWING), 11, null);

        SearchOutcome outcome = new InProcessSearch(model, 2).run(request);

        List<String> probes = outcome.results().stream().filter(result -> result.kind() == TaskKind.SENSITIVITY)
                .map(CandidateResult::label).toList();
        assertThat(probes).contains("/layer.2 to /layer.3 (2 nodes)");
        assertThat(outcome.acceptable()).isTrue();
        assertThat(outcome.winner().config().nodeOverrides()).containsOnlyKeys(FakeModel.SENSITIVE_NODE);
        SearchReport report = SearchReports.from(request, outcome, new Provenance("test", "1.29.0",
                OperatorForm.CPU_EXECUTION_PROVIDER, 2, "amd64"), 2, Map.of());
        assertThat(report.winner().nodesInHigherPrecision()).singleElement()
                .extracting(HigherPrecisionNode::reason).asString()
                .contains("probed together as /layer.2 to /layer.3 (2 nodes)");
    }

    @Test
    void maxTrialsLimitsTasks() {
        FakeModel model = new FakeModel();
        SearchOutcome outcome = new InProcessSearch(model, 2).run(request(model, "grid", 25, 0));

        assertThat(outcome.trials()).isEqualTo(25);
        assertThat(model.calls(TaskKind.EVALUATE)).isEqualTo(25);
        assertThat(outcome.stopReason()).isEqualTo(StopReason.MAX_TRIALS);
    }

    @Test
    void deadlineStopsIssuingTasks() {
        AtomicLong nanos = new AtomicLong();
        FakeModel model = new FakeModel();
        TaskExecutor oneSecondPerTask = task -> {
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            return model.execute(task);
        };
        SearchRequest request = request(model, "grid", 100, 0)
                .withBudget(new SearchBudget(100, Duration.ofSeconds(5), false));

        SearchOutcome outcome = new InProcessSearch(oneSecondPerTask, 1, null, null, nanos::get).run(request);

        assertThat(outcome.stopReason()).isEqualTo(StopReason.DEADLINE);
        assertThat(model.calls(TaskKind.EVALUATE)).isEqualTo(3);
        long deadlineFailures = outcome.results().stream()
                .filter(result -> InProcessSearch.DEADLINE_PASSED.equals(result.evaluation().reason())).count();
        assertThat(deadlineFailures).isEqualTo(outcome.results().size() - 5);
        assertThat(outcome.wallTimeMs()).isEqualTo(5000);
    }

    @Test
    void zeroDeadlineFailsTheBaseline() {
        FakeModel model = new FakeModel();
        SearchRequest request = request(model, "auto", 10, 0).withBudget(new SearchBudget(10, Duration.ZERO, false));

        SearchOutcome outcome = new InProcessSearch(model, 1).run(request);

        assertThat(outcome.stopReason()).isEqualTo(StopReason.BASELINE_FAILED);
        assertThat(outcome.baseline().reason()).isEqualTo(InProcessSearch.DEADLINE_PASSED);
        assertThat(outcome.winner()).isNull();
        assertThat(outcome.acceptable()).isFalse();
    }

    @Test
    void stopAtFirstAcceptableEndsAfterThatRound() {
        FakeModel harmless = new FakeModel(1);
        SearchRequest request = request(harmless, "auto", 50, 0).withBudget(new SearchBudget(50, null, true));

        SearchOutcome outcome = new InProcessSearch(harmless, 2).run(request);

        assertThat(outcome.stopReason()).isEqualTo(StopReason.FIRST_ACCEPTABLE);
        assertThat(outcome.acceptable()).isTrue();
        assertThat(outcome.results()).allMatch(result -> result.round() <= 1);
    }

    @Test
    void autoLowersCostAfterAcceptablePreset() {
        FakeModel harmless = new FakeModel(1);
        SearchGoal loose = SearchGoal.absolute(FakeModel.METRIC, MetricDirection.HIGHER_IS_BETTER, 0.05);
        SearchRequest request = new SearchRequest("req", FakeModel.inputs(), harmless.facts(21), null, loose, "auto",
                SearchBudget.trials(30), 0, null);

        SearchOutcome outcome = new InProcessSearch(harmless, 2).run(request);

        CandidateResult a8w8 = outcome.results().stream()
                .filter(result -> result.config() != null && result.config().equals(QuantConfig.builder().build()))
                .findFirst().orElseThrow();
        assertThat(outcome.results()).anyMatch(result -> result.round() > 1);
        assertThat(outcome.results()).noneMatch(result -> result.kind() == TaskKind.SENSITIVITY);
        assertThat(outcome.acceptable()).isTrue();
        assertThat(outcome.winner().evaluation().cost().modelBytes())
                .isLessThan(a8w8.evaluation().cost().modelBytes());
        assertThat(outcome.winner().config().weightType().bits()).isEqualTo(4);
    }

    @Test
    void nothingAcceptableReportsBestByQuality() {
        FakeModel model = new FakeModel();
        SearchOutcome outcome = new InProcessSearch(model, 2).run(request(model, "presets", 10, 0));

        assertThat(outcome.acceptable()).isFalse();
        assertThat(outcome.winner()).isNotNull();
        assertThat(outcome.stopReason()).isEqualTo(StopReason.STRATEGY_DONE);
        double bestCosine = outcome.results().stream().filter(result -> result.kind() == TaskKind.EVALUATE)
                .mapToDouble(result -> result.evaluation().metric("cosine")).max().orElseThrow();
        assertThat(outcome.winner().evaluation().metric("cosine")).isEqualTo(bestCosine);
    }

    @Test
    void presetsFollowModelFacts() {
        FakeModel model = new FakeModel();
        SearchRequest opset17 = new SearchRequest("req", FakeModel.inputs(), model.facts(17), null, FakeModel.goal(),
                "presets", SearchBudget.trials(10), 0, null);

        SearchOutcome outcome = new InProcessSearch(model, 1).run(opset17);

        List<QuantConfig> configs = outcome.results().stream().filter(result -> result.kind() == TaskKind.EVALUATE)
                .map(CandidateResult::config).toList();
        // Four presets fit opset 17 (all but a16w8); the CPU provider adds the ContribFused forms
        // of a8w8 and dynamic-int8.
        assertThat(configs).hasSize(6);
        assertThat(configs).noneMatch(config -> config.activationType().bits() == 16);
        assertThat(configs).filteredOn(config -> config.operatorForm() == OperatorForm.ContribFused)
                .containsExactlyInAnyOrder(
                        Presets.byName("a8w8").toBuilder().operatorForm(OperatorForm.ContribFused).build(),
                        Presets.byName("dynamic-int8").toBuilder().operatorForm(OperatorForm.ContribFused).build());
    }

    @Test
    void presetsWithoutContribOpsStayStandard() {
        FakeModel model = new FakeModel();
        SearchRequest cuda = new SearchRequest("req", FakeModel.inputs(), model.facts(21, "CUDAExecutionProvider"),
                null, FakeModel.goal(), "presets", SearchBudget.trials(10), 0, null);

        SearchOutcome outcome = new InProcessSearch(model, 1).run(cuda);

        List<QuantConfig> configs = outcome.results().stream().filter(result -> result.kind() == TaskKind.EVALUATE)
                .map(CandidateResult::config).toList();
        assertThat(configs).containsExactlyInAnyOrderElementsOf(Presets.all().values());
        assertThat(configs).allMatch(config -> config.operatorForm() == OperatorForm.Standard);
    }

    @Test
    void latencyObjectivePicksContribFusedPreset() {
        FakeModel harmless = new FakeModel(1, true);
        SearchGoal fastest = FakeModel.goal().withObjective(Objective.LATENCY);
        SearchRequest request = new SearchRequest("req", FakeModel.inputs(), harmless.facts(21), null, fastest,
                "presets", SearchBudget.trials(10), 0, null);

        SearchOutcome outcome = new InProcessSearch(harmless, 2).run(request);

        CandidateResult a8w8 = outcome.results().stream()
                .filter(result -> Presets.byName("a8w8").equals(result.config())).findFirst().orElseThrow();
        assertThat(outcome.acceptable()).isTrue();
        assertThat(outcome.winner().config())
                .isEqualTo(Presets.byName("a8w8").toBuilder().operatorForm(OperatorForm.ContribFused).build());
        assertThat(outcome.winner().evaluation().cost().latency().medianMs()).isEqualTo(8 * 0.45, within(1e-9));
        assertThat(a8w8.evaluation().cost().latency().medianMs()).isEqualTo(8 * 0.5, within(1e-9));
    }

    @Test
    void unsupportedCombinationIsNotProposedAgain() {
        FakeModel model = new FakeModel();
        SearchOutcome outcome = new InProcessSearch(model, 2).run(request(model, "random", 80, 5));

        Map<String, Integer> firstUnsupportedRound = new HashMap<>();
        for (CandidateResult result : outcome.results()) {
            if (result.evaluation().status() == EvaluationStatus.UNSUPPORTED) {
                firstUnsupportedRound.putIfAbsent(SearchState.combinationOf(result.config()), result.round());
            }
        }
        assertThat(firstUnsupportedRound).isNotEmpty();
        List<CandidateResult> later = new ArrayList<>();
        for (CandidateResult result : outcome.results()) {
            Integer blockedFrom = result.config() == null ? null
                    : firstUnsupportedRound.get(SearchState.combinationOf(result.config()));
            if (blockedFrom != null && result.round() > blockedFrom) {
                later.add(result);
            }
        }
        assertThat(later).isEmpty();
    }

    @Test
    void onlyFloatProbesRankSensitiveNodeFirst() {
        FakeModel model = new FakeModel();
        SearchRequest request = new SearchRequest("req", FakeModel.inputs(), model.facts(21), null, FakeModel.goal(),
                "auto", SearchBudget.trials(40), 11, SensitivityMode.ONLY_FLOAT);

        SearchOutcome outcome = new InProcessSearch(model, 2).run(request);

        List<CandidateResult> probes = outcome.results().stream()
                .filter(result -> result.kind() == TaskKind.SENSITIVITY).toList();
        assertThat(probes).hasSize(9);
        assertThat(probes).allMatch(probe -> probe.sensitivityMode() == SensitivityMode.ONLY_FLOAT);
        assertThat(probes).allMatch(probe -> probe.config().nodeOverrides()
                .get(probe.label()).equals(NodeOverride.keepInFloat()));
        assertThat(probes).allMatch(probe -> probe.evaluation().quantizedNodes().size() == 8
                && !probe.evaluation().quantizedNodes().contains(probe.label()));
        String mostSensitive = outcome.sensitivity().entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(mostSensitive).isEqualTo(FakeModel.SENSITIVE_NODE);
        // The base is a16w8, the preset of best cosine: its 16-bit activations cut the error of
        // each node to 0.0001, the sensitive node's to 200 times that, so keeping a node in float
        // recovers that much cosine.
        String a16w8 = SearchIds.candidateId(Presets.byName("a16w8"));
        assertThat(probes).allMatch(probe -> a16w8.equals(probe.baseCandidateId()));
        assertThat(outcome.sensitivity().get(FakeModel.SENSITIVE_NODE)).isCloseTo(0.02, within(1e-9));
        assertThat(outcome.sensitivity().get("/layer.0/MatMul")).isCloseTo(0.0001, within(1e-9));
        assertThat(outcome.winner().config().nodeOverrides())
                .containsEntry(FakeModel.SENSITIVE_NODE, NodeOverride.keepInFloat());
        assertThat(outcome.acceptable()).isTrue();
    }

    @Test
    void sensitivityCacheSavesTrials(@TempDir Path cacheDirectory) {
        SensitivityCache cache = new SensitivityCache(cacheDirectory);
        FakeModel firstModel = new FakeModel();
        SearchOutcome first = new InProcessSearch(firstModel, 2, cache, null, System::nanoTime)
                .run(request(firstModel, "auto", 40, 11));
        FakeModel secondModel = new FakeModel();
        SearchOutcome second = new InProcessSearch(secondModel, 2, cache, null, System::nanoTime)
                .run(request(secondModel, "auto", 40, 11));

        assertThat(firstModel.calls(TaskKind.SENSITIVITY)).isEqualTo(9);
        assertThat(secondModel.calls(TaskKind.SENSITIVITY)).isZero();
        assertThat(second.results()).filteredOn(result -> result.kind() == TaskKind.SENSITIVITY)
                .hasSize(9).allMatch(CandidateResult::cached);
        assertThat(second.sensitivity()).isEqualTo(first.sensitivity());
        assertThat(second.winner().config()).isEqualTo(first.winner().config());
    }

    @Test
    void progressReportsEveryTask() {
        FakeModel model = new FakeModel();
        List<SearchProgress> progress = java.util.Collections.synchronizedList(new ArrayList<>());
        SearchOutcome outcome = new InProcessSearch(model, 3, null, progress::add, System::nanoTime)
                .run(request(model, "presets", 10, 0));

        assertThat(progress).filteredOn(step -> !step.roundComplete()).hasSize(outcome.results().size());
        List<SearchProgress> rounds = progress.stream().filter(SearchProgress::roundComplete).toList();
        assertThat(rounds).extracting(SearchProgress::round).startsWith(0, 1).isSorted();
        assertThat(rounds.get(rounds.size() - 1).bestCandidateId()).isEqualTo(outcome.winner().candidateId());
    }
}
