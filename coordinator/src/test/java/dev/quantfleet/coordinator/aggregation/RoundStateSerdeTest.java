package dev.quantfleet.coordinator.aggregation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quantfleet.common.messages.Task;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quantfleet.coordinator.aggregation.RoundMessages.okResult;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.plan;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.roundZeroTasks;
import static org.assertj.core.api.Assertions.assertThat;

class RoundStateSerdeTest {

    private static final long DEADLINE_MS = 1_800_000_000_000L;
    private static final long CLOSED_AT_MS = 1_800_000_001_234L;

    private final RoundStateSerde serde = new RoundStateSerde();

    @Test
    void closedStateRoundTrips() {
        RoundState state = closedState();

        RoundState read = serde.deserialize("changelog", serde.serialize("changelog", state));

        assertThat(read.closed()).isTrue();
        assertThat(read.closedAtMs()).isEqualTo(CLOSED_AT_MS);
        assertThat(read.statuses()).isEqualTo(state.statuses());
        assertThat(read.plan()).isEqualTo(state.plan());
        assertThat(read.isExpired(CLOSED_AT_MS + 999, 1_000)).isFalse();
        assertThat(read.isExpired(CLOSED_AT_MS + 1_000, 1_000)).isTrue();
    }

    @Test
    void stateWithoutClosedAtReadsAsEpoch() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = (ObjectNode) mapper.readTree(serde.serialize("changelog", closedState()));
        json.remove("closedAtMs");

        RoundState read = serde.deserialize("changelog", mapper.writeValueAsBytes(json));

        assertThat(read.closed()).isTrue();
        assertThat(read.closedAtMs()).isZero();
        assertThat(read.isExpired(CLOSED_AT_MS, 1_000)).isTrue();
    }

    private static RoundState closedState() {
        List<Task> tasks = roundZeroTasks("req-serde", "cpu", DEADLINE_MS);
        RoundState state = RoundState.open(plan(tasks, DEADLINE_MS, 2), 60_000);
        tasks.forEach(task -> state.recordResult(okResult(task, "worker-a")));
        state.close(CLOSED_AT_MS);
        return state;
    }
}
