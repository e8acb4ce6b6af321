package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DispatchRoundTest {

    private static final long SLEEP_MS = 100;

    /** Two workers, three tasks of 100 ms: worker a runs two back to back with a 20 ms gap, worker b one. */
    private static final DispatchRound UNEVEN = DispatchRound.of(2, SLEEP_MS, 1_000, 1_300, List.of(
            run("a", 1_010, 1_110),
            run("b", 1_015, 1_115),
            run("a", 1_130, 1_230)));

    @Test
    void countsTasksPerWorkerAndGaps() {
        assertThat(UNEVEN.tasks()).isEqualTo(3);
        assertThat(UNEVEN.tasksPerWorker()).containsEntry("a", 2).containsEntry("b", 1);
        assertThat(UNEVEN.busiestWorkerTasks()).isEqualTo(2);
        assertThat(UNEVEN.gapsMs()).containsExactly(20L);
        assertThat(UNEVEN.wallMs()).isEqualTo(300);
        assertThat(UNEVEN.firstStartMs()).isEqualTo(10);
        assertThat(UNEVEN.closeMs()).isEqualTo(70);
    }

    @Test
    void throughputAgainstIdeal() {
        assertThat(UNEVEN.tasksPerSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(UNEVEN.idealTasksPerSecond()).isCloseTo(20.0, within(1e-9));
        assertThat(UNEVEN.efficiency()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void balanceBoundFromBusiestWorker() {
        assertThat(UNEVEN.balanceBound()).isCloseTo(3.0 / 4.0, within(1e-9));
    }

    @Test
    void evenRoundWithoutOverheadIsFullyEfficient() {
        DispatchRound even = DispatchRound.of(2, SLEEP_MS, 0, 200, List.of(
                run("a", 0, 100), run("a", 100, 200), run("b", 0, 100), run("b", 100, 200)));

        assertThat(even.efficiency()).isCloseTo(1.0, within(1e-9));
        assertThat(even.balanceBound()).isCloseTo(1.0, within(1e-9));
        assertThat(even.gapsMs()).containsExactly(0L, 0L);
    }

    @Test
    void roundWithoutRunsRejected() {
        assertThatThrownBy(() -> DispatchRound.of(1, SLEEP_MS, 0, 10, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no task run");
    }

    private static SleepingTaskProcessor.Execution run(String workerId, long startedMs, long finishedMs) {
        return new SleepingTaskProcessor.Execution("request", "task-" + startedMs, workerId, startedMs, finishedMs);
    }
}
