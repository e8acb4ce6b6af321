package dev.quantfleet.engine.evaluation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricDirectionsTest {

    @Test
    void fidelityMetricsHaveTheirDirections() {
        assertThat(MetricDirections.of("cosine")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("mse")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirections.of("sqnr")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("top1")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("kl")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
    }

    @Test
    void taskMetricsAndBaselineKeysHaveTheirDirections() {
        assertThat(MetricDirections.of("accuracy")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("recall@5")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of(ModelEvaluator.BASELINE_PREFIX + "mrr"))
                .isEqualTo(MetricDirection.HIGHER_IS_BETTER);
    }

    @Test
    void unknownMetricListsEveryKnownMetric() {
        assertThatThrownBy(() -> MetricDirections.of("f1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown metric 'f1'; known metrics: fidelity metrics cosine, mse, sqnr, top1, kl "
                        + "and task metrics accuracy, recall@K, mrr, cer, exact-match, auc, detection@0fa");
    }

    @Test
    void invalidTaskMetricParameterKeepsItsMessage() {
        assertThatThrownBy(() -> MetricDirections.of("recall@0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive integer");
    }

    @Test
    void fidelityNamesKeepTheirOrder() {
        assertThat(FidelityMetrics.names()).containsExactly("cosine", "mse", "sqnr", "top1", "kl");
    }
}
