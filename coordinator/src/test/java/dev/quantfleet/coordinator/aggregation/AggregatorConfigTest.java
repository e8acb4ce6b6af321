package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.topics.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregatorConfigTest {

    @Test
    void defaultsUseFleetTopics() {
        AggregatorConfig config = AggregatorConfig.defaults();

        assertThat(config.roundPlansTopic()).isEqualTo(Topics.ROUND_PLANS);
        assertThat(config.resultsTopic()).isEqualTo(Topics.RESULTS);
        assertThat(config.roundsTopic()).isEqualTo(Topics.ROUNDS);
        assertThat(config.outcomesTopic()).isEqualTo(Topics.OUTCOMES);
        assertThat(config.deadlineCheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.retryTimeout()).isEmpty();
        assertThat(config.stateRetention()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void rejectsZeroStateRetention() {
        assertThatThrownBy(() -> AggregatorConfig.defaults().withStateRetention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stateRetention is PT0S");
    }

    @Test
    void rejectsZeroDeadlineCheckInterval() {
        assertThatThrownBy(() -> AggregatorConfig.defaults().withDeadlineCheckInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deadlineCheckInterval is PT0S");
    }

    @Test
    void rejectsNegativeRetryTimeout() {
        assertThatThrownBy(() -> AggregatorConfig.defaults().withRetryTimeout(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryTimeout is PT-5S");
    }

    @Test
    void rejectsBlankTopic() {
        assertThatThrownBy(() -> new AggregatorConfig(" ", Topics.RESULTS, Topics.ROUNDS, Topics.OUTCOMES,
                Duration.ofSeconds(1), Optional.empty(), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roundPlansTopic is missing");
    }
}
