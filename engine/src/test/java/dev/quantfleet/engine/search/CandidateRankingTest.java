package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CandidateRankingTest {

    private static final Evaluation BASELINE = Evaluation.ok(Map.of("cosine", 1.0), new Cost(4000, 0, null), List.of());
    private final CandidateRanking ranking = new CandidateRanking(FakeModel.goal(), BASELINE);

    private static CandidateResult result(String id, double cosine, long bytes, Double latencyMs) {
        Latency latency = latencyMs == null ? null : new Latency(latencyMs, latencyMs, latencyMs, 10, 2, 1, "CPU");
        Evaluation evaluation = Evaluation.ok(Map.of("cosine", cosine), new Cost(bytes, 1, latency), List.of("n"));
        return new CandidateResult("req/r0001/EVALUATE/" + id, 1, TaskKind.EVALUATE, id, QuantConfig.builder().build(),
                0, evaluation, null, List.of(), null, null, false);
    }

    @Test
    void acceptableOrderIsCostThenQualityThenId() {
        CandidateResult small = result("b", 0.995, 1000, null);
        CandidateResult smallTwin = result("a", 0.995, 1000, null);
        CandidateResult smallWorse = result("0", 0.992, 1000, null);
        CandidateResult large = result("c", 0.999, 2000, null);

        List<CandidateResult> all = List.of(large, small, smallWorse, smallTwin);
        List<CandidateResult> sorted = all.stream().sorted(ranking.acceptableOrder(all)).toList();

        assertThat(sorted).containsExactly(smallTwin, small, smallWorse, large);
    }

    @Test
    void costsWithinOnePercentLetQualityDecide() {
        CandidateResult smaller = result("a", 0.992, 1_000_000, null);
        CandidateResult closer = result("b", 0.999, 1_004_000, null);
        CandidateResult muchLarger = result("c", 0.9995, 1_100_000, null);

        assertThat(ranking.best(List.of(smaller, closer, muchLarger))).contains(closer);
        assertThat(Objective.SIZE.withinTolerance(1_009_999, 1_000_000)).isTrue();
        assertThat(Objective.SIZE.withinTolerance(1_010_001, 1_000_000)).isFalse();
        assertThat(Objective.COMPUTE.withinTolerance(0.009, 0.0)).isTrue();
        assertThat(Objective.LATENCY.withinTolerance(Double.NaN, 3.0)).isFalse();
        assertThat(Objective.LATENCY.withinTolerance(5.0, Double.NaN)).isTrue();
    }

    @Test
    void toleranceIsMeasuredFromTheCheapest() {
        // The trial's case: 0.71 % larger with a better metric must win, whatever the absolute sizes.
        CandidateResult smallest = result("a", 0.992, 22_786_319, null);
        CandidateResult closer = result("b", 0.998, 22_950_199, null);

        assertThat(ranking.best(List.of(smallest, closer))).contains(closer);
    }

    @Test
    void winnerIsCheapestAcceptable() {
        CandidateResult rejected = result("a", 0.95, 500, null);
        CandidateResult cheap = result("b", 0.991, 1000, null);
        CandidateResult good = result("c", 0.999, 2000, null);

        assertThat(ranking.best(List.of(rejected, good, cheap))).contains(cheap);
        assertThat(ranking.acceptable(cheap)).isTrue();
        assertThat(ranking.acceptable(rejected)).isFalse();
    }

    @Test
    void bestOfCheapestStaysInCheapestTier() {
        CandidateResult cheapPoor = result("a", 0.90, 1000, null);
        CandidateResult cheapBetter = result("b", 0.93, 1005, null);
        CandidateResult costlyBest = result("c", 0.98, 1500, null);
        List<CandidateResult> presets = List.of(costlyBest, cheapPoor, cheapBetter);

        assertThat(ranking.bestOfCheapest(presets, Objective.SIZE)).contains(cheapBetter);
        assertThat(ranking.best(presets)).contains(costlyBest);
        assertThat(ranking.bestOfCheapest(List.of(), Objective.SIZE)).isEmpty();
    }

    @Test
    void equalMetricAndComputePrefersSmallerModel() {
        CandidateRanking byCompute = new CandidateRanking(new SearchGoal("cosine", MetricDirection.HIGHER_IS_BETTER,
                0.01, false, Objective.COMPUTE), BASELINE);
        CandidateResult standard = result("a", 0.995, 1000, null);
        CandidateResult fused = result("b", 0.995, 990, null);

        assertThat(byCompute.best(List.of(standard, fused))).contains(fused);
    }

    @Test
    void withoutAcceptableBestQualityWins() {
        CandidateResult worse = result("a", 0.90, 500, null);
        CandidateResult better = result("b", 0.95, 3000, null);
        CandidateResult betterCheaper = result("c", 0.95, 2000, null);

        assertThat(ranking.best(List.of(worse, better, betterCheaper))).contains(betterCheaper);
    }

    @Test
    void relativeGoalUsesPercent() {
        SearchGoal relative = new SearchGoal("cosine", MetricDirection.HIGHER_IS_BETTER, 1, true, null);
        CandidateRanking percent = new CandidateRanking(relative, BASELINE);

        assertThat(percent.acceptable(result("a", 0.991, 1, null))).isTrue();
        assertThat(percent.acceptable(result("b", 0.989, 1, null))).isFalse();
        assertThat(relative.objective()).isEqualTo(Objective.SIZE);
    }

    @Test
    void paretoFrontKeepsUndominated() {
        CandidateResult best = result("a", 0.999, 3000, null);
        CandidateResult smallest = result("b", 0.95, 1000, null);
        CandidateResult middle = result("c", 0.99, 2000, null);
        CandidateResult dominated = result("d", 0.98, 2500, null);
        CandidateResult fastButBig = result("e", 0.97, 2600, 1.0);
        CandidateResult slowTwin = result("f", 0.97, 2600, 2.0);

        List<String> front = ranking.paretoFront(List.of(best, smallest, middle, dominated, fastButBig, slowTwin));

        assertThat(front).containsExactly("a", "c", "b");
    }

    @Test
    void paretoFrontUsesLatencyWhenMeasured() {
        CandidateResult slowSmall = result("a", 0.99, 1000, 5.0);
        CandidateResult fastLarge = result("b", 0.99, 2000, 1.0);

        assertThat(ranking.paretoFront(List.of(slowSmall, fastLarge))).containsExactly("a", "b");
    }

    @Test
    void latencyObjectiveRanksUnmeasuredLast() {
        CandidateRanking byLatency = new CandidateRanking(FakeModel.goal().withObjective(Objective.LATENCY), BASELINE);
        CandidateResult unmeasured = result("a", 0.999, 1000, null);
        CandidateResult measured = result("b", 0.995, 2000, 3.0);

        assertThat(byLatency.best(List.of(unmeasured, measured))).contains(measured);
    }
}
