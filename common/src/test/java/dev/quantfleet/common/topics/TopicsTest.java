package dev.quantfleet.common.topics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {

    @Test
    void taskTopicAppendsPool() {
        assertThat(Topics.tasks("cpu")).isEqualTo("quantfleet.tasks.cpu");
        assertThat(Topics.tasks("rocm")).isEqualTo("quantfleet.tasks.rocm");
        assertThat(Topics.tasks("gpu-a100-2")).isEqualTo("quantfleet.tasks.gpu-a100-2");
    }

    @Test
    void invalidPoolNamesAreRejected() {
        for (String pool : new String[] {"", "CPU", "-cpu", "cpu.fast", "cpu_fast", "cpu pool", "dlq", "a".repeat(33)}) {
            assertThat(Topics.isValidPoolName(pool)).as(pool).isFalse();
            assertThatThrownBy(() -> Topics.tasks(pool)).as(pool)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid pool name '" + pool + "'");
        }
        assertThatThrownBy(() -> Topics.checkPoolName(null)).hasMessageContaining("Pool name is missing");
    }

    @Test
    void poolOfReadsTaskTopicsOnly() {
        assertThat(Topics.poolOf("quantfleet.tasks.rocm")).contains("rocm");
        assertThat(Topics.poolOf(Topics.TASKS_DLQ)).isEmpty();
        assertThat(Topics.poolOf(Topics.RESULTS)).isEmpty();
        assertThat(Topics.poolOf(null)).isEmpty();
    }

    @Test
    void topicNamesAreFixed() {
        assertThat(Topics.REQUESTS).isEqualTo("quantfleet.requests");
        assertThat(Topics.RESULTS).isEqualTo("quantfleet.results");
        assertThat(Topics.ROUNDS).isEqualTo("quantfleet.rounds");
        assertThat(Topics.OUTCOMES).isEqualTo("quantfleet.outcomes");
        assertThat(Topics.MODEL_EVENTS).isEqualTo("quantfleet.model-events");
        assertThat(Topics.TASKS_DLQ).isEqualTo("quantfleet.tasks.dlq");
        assertThat(Topics.DEFAULT_POOL).isEqualTo("cpu");
    }
}
