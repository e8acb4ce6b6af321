package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetTimelineTest {

    /**
     * One worker, two rounds, times in ms after 1,000,000:
     * <pre>
     *   request 0, plan 0 at 100, tasks 130–400 and 450–700, results 410 and 720, closed 740
     *   plan 1 at 800, tasks 820–1000 and 1060–1300, results 1010 and 1330, closed 1350, outcome 1600
     * </pre>
     */
    private static final long T = 1_000_000;
    private static final FleetTimeline TWO_ROUNDS = new FleetTimeline("r", T, List.of(
            new FleetTimeline.Round(0, T + 100, List.of(
                    attempt("r/r0000/calibrate/float", T + 100, T + 130, T + 400, T + 410),
                    attempt("r/r0000/baseline/float", T + 100, T + 450, T + 700, T + 720)), T + 740),
            new FleetTimeline.Round(1, T + 800, List.of(
                    attempt("r/r0001/evaluate/a", T + 800, T + 820, T + 1000, T + 1010),
                    attempt("r/r0001/evaluate/b", T + 800, T + 1060, T + 1300, T + 1330)), T + 1350)),
            T + 1600);

    @Test
    void spansBetweenEvents() {
        assertThat(TWO_ROUNDS.intakeMs()).isEqualTo(100);
        assertThat(TWO_ROUNDS.firstDispatchMs()).isEqualTo(30);
        assertThat(TWO_ROUNDS.requestToFirstTaskMs()).isEqualTo(130);
        assertThat(TWO_ROUNDS.lastResultToOutcomeMs()).isEqualTo(270);
        assertThat(TWO_ROUNDS.lastCloseMs()).isEqualTo(20);
        assertThat(TWO_ROUNDS.lastCloseToOutcomeMs()).isEqualTo(250);
        assertThat(TWO_ROUNDS.requestToOutcomeMs()).isEqualTo(1600);
        assertThat(TWO_ROUNDS.attemptCount()).isEqualTo(4);
    }

    @Test
    void turnaroundRunsFromLastResultToNextStart() {
        assertThat(TWO_ROUNDS.roundTurnaroundsMs()).containsExactly(820L - 720L);
    }

    @Test
    void breakdownSumsRoundsInOrder() {
        Map<String, Long> parts = TWO_ROUNDS.breakdownMs();

        assertThat(parts.keySet()).containsExactly(FleetTimeline.INTAKE, FleetTimeline.DISPATCH,
                FleetTimeline.TASK_RUNS, FleetTimeline.BETWEEN_TASKS, FleetTimeline.RESULT_PUBLISH,
                FleetTimeline.AGGREGATOR_CLOSE, FleetTimeline.NEXT_PLAN, FleetTimeline.OUTCOME);
        assertThat(parts.get(FleetTimeline.INTAKE)).isEqualTo(100);
        assertThat(parts.get(FleetTimeline.DISPATCH)).isEqualTo(30 + 20);
        assertThat(parts.get(FleetTimeline.TASK_RUNS)).isEqualTo(270 + 250 + 180 + 240);
        assertThat(parts.get(FleetTimeline.BETWEEN_TASKS)).isEqualTo(50 + 60);
        assertThat(parts.get(FleetTimeline.RESULT_PUBLISH)).isEqualTo(20 + 30);
        assertThat(parts.get(FleetTimeline.AGGREGATOR_CLOSE)).isEqualTo(20 + 20);
        assertThat(parts.get(FleetTimeline.NEXT_PLAN)).isEqualTo(60);
        assertThat(parts.get(FleetTimeline.OUTCOME)).isEqualTo(250);
    }

    @Test
    void breakdownAddsUpToRequestWallTime() {
        long sum = TWO_ROUNDS.breakdownMs().values().stream().mapToLong(Long::longValue).sum();

        assertThat(sum).isEqualTo(TWO_ROUNDS.requestToOutcomeMs());
    }

    @Test
    void overlappingWorkersMakeBetweenTasksNegative() {
        FleetTimeline parallel = new FleetTimeline("p", T, List.of(new FleetTimeline.Round(0, T + 10, List.of(
                attempt("p/r0000/calibrate/float", T + 10, T + 20, T + 120, T + 125),
                attempt("p/r0000/baseline/float", T + 10, T + 20, T + 220, T + 230)), T + 240)), T + 300);

        assertThat(parallel.breakdownMs().get(FleetTimeline.BETWEEN_TASKS)).isEqualTo(200 - (100 + 200));
        assertThat(parallel.breakdownMs().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
        assertThat(parallel.roundTurnaroundsMs()).isEmpty();
    }

    @Test
    void roundWithoutResultsRejected() {
        assertThatThrownBy(() -> new FleetTimeline.Round(2, T, List.of(), T + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Round 2 has no task result");
    }

    @Test
    void timelineWithoutRoundsRejected() {
        assertThatThrownBy(() -> new FleetTimeline("empty", T, List.of(), T + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Request empty has no round");
    }

    private static FleetTimeline.Attempt attempt(String taskId, long queuedMs, long startedMs, long finishedMs,
                                                 long publishedMs) {
        return new FleetTimeline.Attempt(taskId, "worker-1", queuedMs, startedMs, finishedMs, publishedMs);
    }
}
