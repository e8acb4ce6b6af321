package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GoalAndFrontTest {

    private static final Budget BUDGET = new Budget(10, null, false);

    @Test
    void absoluteThresholdForHigherIsBetter() {
        Goal goal = new Goal("cosine", MetricDirection.HIGHER_IS_BETTER, 0.01, DropMode.ABSOLUTE, Objective.SIZE, BUDGET);

        assertThat(goal.thresholdValue(0.98)).isCloseTo(0.97, within(1e-12));
        assertThat(goal.accepts(0.98, 0.975)).isTrue();
        assertThat(goal.accepts(0.98, 0.965)).isFalse();
        assertThat(goal.accepts(0.98, Double.NaN)).isFalse();
    }

    @Test
    void relativeThresholdForLowerIsBetter() {
        Goal goal = new Goal("cer", MetricDirection.LOWER_IS_BETTER, 0.25, DropMode.RELATIVE, Objective.SIZE, BUDGET);

        assertThat(goal.thresholdValue(0.04)).isCloseTo(0.05, within(1e-12));
        assertThat(goal.drop(0.04, 0.05)).isCloseTo(0.25, within(1e-12));
        assertThat(goal.accepts(0.04, 0.049)).isTrue();
        assertThat(goal.accepts(0.04, 0.051)).isFalse();
    }

    @Test
    void goalRejectsNegativeDrop() {
        assertThatThrownBy(() -> new Goal("cosine", MetricDirection.HIGHER_IS_BETTER, -0.1, DropMode.ABSOLUTE,
                Objective.SIZE, BUDGET))
                .hasMessageContaining("maxDrop is -0.1");
        assertThatThrownBy(() -> new Budget(0, null, false)).hasMessageContaining("maxTrials is 0");
    }

    @Test
    void frontKeepsUndominatedCandidatesCheapestFirst() {
        Goal goal = new Goal("cosine", MetricDirection.HIGHER_IS_BETTER, 0.01, DropMode.ABSOLUTE, Objective.SIZE, BUDGET);
        List<CandidateEntry> candidates = List.of(
                ok("big-best", 300, 0.999),
                ok("mid", 200, 0.99),
                ok("mid-worse", 200, 0.98),
                ok("small", 100, 0.95),
                ok("small-worse-and-bigger", 150, 0.94),
                new CandidateEntry("broken", 0, CandidateKind.EVALUATE, QuantConfig.builder().build(),
                        EvaluationStatus.FAILED, null, null, "crashed"));

        ParetoFront front = ParetoFront.compute(goal, CostAxis.MODEL_BYTES, candidates);

        assertThat(front.candidateIds()).containsExactly("small", "mid", "big-best");
        assertThat(front.qualityMetric()).isEqualTo("cosine");
        assertThat(front.costAxis()).isEqualTo(CostAxis.MODEL_BYTES);
    }

    @Test
    void latencyAxisOnlyWhenEveryOkCandidateMeasured() {
        List<CandidateEntry> measured = List.of(ok("a", 1, 0.9));
        CandidateEntry unmeasured = new CandidateEntry("b", 0, CandidateKind.EVALUATE, QuantConfig.builder().build(),
                EvaluationStatus.OK, new TreeMap<>(Map.of("cosine", 0.9)), new Cost(1, 1, null), null);

        assertThat(CostAxis.forObjective(Objective.LATENCY, measured)).isEqualTo(CostAxis.LATENCY_MEDIAN_MS);
        assertThat(CostAxis.forObjective(Objective.LATENCY, List.of(measured.get(0), unmeasured)))
                .isEqualTo(CostAxis.MODEL_BYTES);
        assertThat(CostAxis.forObjective(Objective.SIZE, measured)).isEqualTo(CostAxis.MODEL_BYTES);
        assertThat(CostAxis.FLOAT_MAC_SHARE.valueOf(new Cost(1, 0.75, null))).isEqualTo(0.25);
    }

    @Test
    void okCandidateNeedsCostAndFailedNeedsReason() {
        QuantConfig config = QuantConfig.builder().build();

        assertThatThrownBy(() -> new CandidateEntry("x", 0, CandidateKind.EVALUATE, config, EvaluationStatus.OK,
                null, null, null)).hasMessageContaining("Candidate x is OK, so it needs a cost");
        assertThatThrownBy(() -> new CandidateEntry("y", 0, CandidateKind.EVALUATE, config,
                EvaluationStatus.UNSUPPORTED, null, null, null)).hasMessageContaining("Candidate y is UNSUPPORTED without a reason");
    }

    @Test
    void scaleTicksAreRoundAndCoverData() {
        LinearScale scale = new LinearScale(0.951, 1.0, 0, 100, 5);

        assertThat(scale.ticks()).first().isEqualTo(0.95);
        assertThat(scale.ticks().get(scale.ticks().size() - 1)).isCloseTo(1.0, within(1e-12));
        assertThat(scale.pixel(0.95)).isCloseTo(0, within(1e-9));
        assertThat(scale.pixel(1.0)).isCloseTo(100, within(1e-9));
        assertThat(LinearScale.niceStep(0.0098)).isCloseTo(0.01, within(1e-15));
        assertThat(LinearScale.niceStep(3)).isEqualTo(5);
        assertThat(new LinearScale(0.95, 1.0, 0, 100, 5).ticks()).containsExactly(0.95, 0.96, 0.97, 0.98, 0.99, 1.0);
        assertThat(new LinearScale(2, 2, 0, 100, 5).ticks()).hasSizeGreaterThan(1);
    }

    private static CandidateEntry ok(String id, long bytes, double cosine) {
        return new CandidateEntry(id, 0, CandidateKind.EVALUATE, QuantConfig.builder().build(), EvaluationStatus.OK,
                new TreeMap<>(Map.of("cosine", cosine)),
                new Cost(bytes, 0.9, new Latency(1, 1, 1, 1, 0, 1, "CPUExecutionProvider")), null);
    }
}
