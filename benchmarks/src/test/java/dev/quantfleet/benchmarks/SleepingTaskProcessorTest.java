package dev.quantfleet.benchmarks;

import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

class SleepingTaskProcessorTest {

    private static final long SLEEP_MS = 20;

    @Test
    void dispatchTasksHaveDistinctIdsAndFormAPlan() {
        List<Task> tasks = DispatchBenchmark.tasks("dispatch-4-round-1", "dispatch-4", 12);

        assertThat(tasks).hasSize(12);
        assertThat(tasks.stream().map(Task::taskId).distinct()).hasSize(12);
        assertThat(tasks).allSatisfy(task -> assertThat(task.topic()).isEqualTo("quantfleet.tasks.dispatch-4"));
        RoundOpened plan = RoundOpened.of("dispatch-4-round-1", 1, tasks, 1_000, 1);
        assertThat(WireJson.ROUND_OPENED.fromBytes(WireJson.toBytes(plan))).isEqualTo(plan);
    }

    @Test
    void sleepsAndReturnsOkResult() {
        Queue<SleepingTaskProcessor.Execution> executions = new ConcurrentLinkedQueue<>();
        Task task = DispatchBenchmark.tasks("sleep-test", "cpu", 1).get(0);

        TaskResult result = new SleepingTaskProcessor("worker-1", SLEEP_MS, executions).apply(task, 5L);

        assertThat(result.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(result.taskId()).isEqualTo(task.taskId());
        assertThat(result.workerId()).isEqualTo("worker-1");
        assertThat(result.timings().queuedAtMs()).isEqualTo(5L);
        assertThat(result.timings().runMs()).isGreaterThanOrEqualTo(SLEEP_MS);
        assertThat(WireJson.TASK_RESULT.fromBytes(WireJson.toBytes(result))).isEqualTo(result);
        assertThat(executions).singleElement().satisfies(run -> {
            assertThat(run.taskId()).isEqualTo(task.taskId());
            assertThat(run.requestId()).isEqualTo("sleep-test");
            assertThat(run.finishedMs() - run.startedMs()).isEqualTo(result.timings().runMs());
        });
    }

    @Test
    void interruptedSleepFails() {
        Queue<SleepingTaskProcessor.Execution> executions = new ConcurrentLinkedQueue<>();
        Task task = DispatchBenchmark.tasks("sleep-test", "cpu", 1).get(0);

        Thread.currentThread().interrupt();
        TaskResult result = new SleepingTaskProcessor("worker-1", 10_000, executions).apply(task, 0L);

        assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
        assertThat(result.status()).isEqualTo(EvaluationStatus.FAILED);
        assertThat(result.evaluation().reason()).contains("Interrupted");
        assertThat(executions).hasSize(1);
    }
}
