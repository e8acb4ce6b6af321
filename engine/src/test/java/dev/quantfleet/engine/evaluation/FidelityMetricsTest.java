package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FidelityMetricsTest {

    private static EvaluatedSample sample(OutputTensor... outputs) {
        return new EvaluatedSample(new Sample("test", Map.of()), List.of(outputs));
    }

    private static OutputTensor scores(float... values) {
        return new OutputTensor("y", new long[] {1, values.length}, values);
    }

    @Test
    void handComputedValuesOverTwoSamples() {
        List<EvaluatedSample> reference = List.of(sample(scores(1, 2)), sample(scores(3, 0)));
        List<EvaluatedSample> candidate = List.of(sample(scores(1, 1)), sample(scores(3, 1)));

        SortedMap<String, Double> metrics = FidelityMetrics.compute(reference, candidate, Set.of());

        // cosine: ((1+2)/(sqrt5*sqrt2) + 9/(3*sqrt10)) / 2
        double expectedCosine = (3 / Math.sqrt(10) + 9 / (3 * Math.sqrt(10))) / 2;
        assertThat(metrics.get("cosine")).isCloseTo(expectedCosine, within(1e-12));
        // squared errors 0, 1, 0, 1 over 4 elements
        assertThat(metrics.get("mse")).isCloseTo(0.5, within(1e-12));
        // signal 1+4+9+0 = 14, noise 2
        assertThat(metrics.get("sqnr")).isCloseTo(10 * Math.log10(7), within(1e-12));
        // argmax: reference 1, 0; candidate 0 (tie, first wins), 0
        assertThat(metrics.get("top1")).isCloseTo(0.5, within(1e-12));
        assertThat(metrics).doesNotContainKey("kl");
    }

    @Test
    void identicalOutputsGiveCappedSqnr() {
        List<EvaluatedSample> reference = List.of(sample(scores(0.5f, -2)));

        SortedMap<String, Double> metrics = FidelityMetrics.compute(reference, reference, Set.of());

        assertThat(metrics.get("sqnr")).isEqualTo(FidelityMetrics.MAX_SQNR_DB);
        assertThat(metrics.get("cosine")).isEqualTo(1.0);
        assertThat(metrics.get("mse")).isZero();
        assertThat(metrics.get("top1")).isEqualTo(1.0);
    }

    @Test
    void zeroVectorsInCosineAndSqnr() {
        assertThat(FidelityMetrics.cosine(new float[] {0, 0}, new float[] {0, 0})).isEqualTo(1.0);
        assertThat(FidelityMetrics.cosine(new float[] {0, 0}, new float[] {1, 0})).isEqualTo(0.0);
        assertThat(FidelityMetrics.sqnrDb(0, 1)).isEqualTo(-FidelityMetrics.MAX_SQNR_DB);
        assertThat(FidelityMetrics.sqnrDb(1e30, 1e-30)).isEqualTo(FidelityMetrics.MAX_SQNR_DB);
    }

    @Test
    void top1OnlyOnClassScores() {
        OutputTensor hiddenStates = new OutputTensor("h", new long[] {1, 2, 2}, new float[] {1, 2, 3, 0});
        OutputTensor swapped = new OutputTensor("h", new long[] {1, 2, 2}, new float[] {2, 1, 0, 3});
        OutputTensor probabilities = new OutputTensor("p", new long[] {1, 2, 2}, new float[] {0.2f, 0.8f, 0.6f, 0.4f});
        OutputTensor flipped = new OutputTensor("p", new long[] {1, 2, 2}, new float[] {0.8f, 0.2f, 0.6f, 0.4f});
        ReferenceOutputs reference = ReferenceOutputs.of(List.of(sample(hiddenStates, probabilities)));

        SortedMap<String, Double> metrics = FidelityMetrics.compute(reference.samples(),
                List.of(sample(swapped, flipped)), reference.distributionOutputs());
        SortedMap<String, Double> hiddenOnly = FidelityMetrics.compute(List.of(sample(hiddenStates)),
                List.of(sample(swapped)), Set.of());

        // Only the rank-3 distribution counts: rows (1 vs 0) and (0 vs 0).
        assertThat(metrics.get("top1")).isCloseTo(0.5, within(1e-12));
        assertThat(hiddenOnly).doesNotContainKey("top1");
    }

    @Test
    void klOnDistributionOutputs() {
        OutputTensor p = scores(0.5f, 0.5f, 0);
        OutputTensor q = scores(0.25f, 0.75f, 0);
        ReferenceOutputs reference = ReferenceOutputs.of(List.of(sample(p)));

        SortedMap<String, Double> metrics = FidelityMetrics.compute(reference.samples(), List.of(sample(q)),
                reference.distributionOutputs());

        assertThat(reference.distributionOutputs()).containsExactly("y");
        double expected = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);
        assertThat(metrics.get("kl")).isCloseTo(expected, within(1e-7));
    }

    @Test
    void klSkipsOutputsThatAreNoDistribution() {
        assertThat(FidelityMetrics.isDistribution(scores(0.5f, 0.6f))).isFalse();
        assertThat(FidelityMetrics.isDistribution(scores(1.5f, -0.5f))).isFalse();
        assertThat(FidelityMetrics.isDistribution(scores(0.2f, 0.8f))).isTrue();
        ReferenceOutputs reference = ReferenceOutputs.of(List.of(sample(scores(0.2f, 0.8f)), sample(scores(2, -1))));

        assertThat(reference.distributionOutputs()).isEmpty();
        assertThat(FidelityMetrics.compute(reference.samples(), reference.samples(), reference.distributionOutputs()))
                .doesNotContainKey("kl");
    }

    @Test
    void directions() {
        assertThat(FidelityMetrics.names()).containsExactlyInAnyOrder("cosine", "mse", "sqnr", "top1", "kl");
        assertThat(MetricDirections.of("cosine")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("sqnr")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("top1")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("mse")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirections.of("kl")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirections.of("baseline.recall@5")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
    }

    @Test
    void mismatchedShapeIsRejected() {
        List<EvaluatedSample> reference = List.of(sample(scores(1, 2)));
        List<EvaluatedSample> candidate = List.of(sample(scores(1, 2, 3)));

        assertThatThrownBy(() -> FidelityMetrics.compute(reference, candidate, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'y' [1, 2]");
    }

    @Test
    void integerOutputsAreNotKeptSoNoMetrics() {
        List<EvaluatedSample> reference = List.of(sample());

        assertThat(FidelityMetrics.compute(reference, reference, Set.of())).isEmpty();
    }
}
