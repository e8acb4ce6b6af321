package dev.quantfleet.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measured round of the dispatch benchmark: {@code tasks} tasks that each sleep
 * {@code sleepMs}, run by {@code workers} workers, from the publication of the round plan to the
 * aggregator's {@code RoundCompleted} seen by a consumer.
 *
 * <p>Ideal throughput is {@code workers / sleep}: every worker busy with sleeping the whole time.
 * Kafka assigns each worker whole partitions of the task topic, and each task goes to the
 * partition of its key's hash, so workers get unequal shares and the busiest one sets the
 * round's end. {@link #balanceBound()} is the efficiency that this alone allows; the rest of the
 * loss is per-task time outside the sleep, which {@link #gapsMs()} shows.
 *
 * @param workers          workers in the pool's consumer group
 * @param tasks            tasks of the round
 * @param sleepMs          sleep of each task, in milliseconds
 * @param wallMs           round plan published → RoundCompleted received, in milliseconds
 * @param tasksPerWorker   tasks each worker ran, by worker id; workers without a task are left out
 * @param gapsMs           per worker, the time from the end of one task to the start of its next
 * @param firstStartMs     round plan published → first task started
 * @param closeMs          last task finished → RoundCompleted received
 */
record DispatchRound(int workers, int tasks, long sleepMs, long wallMs, Map<String, Integer> tasksPerWorker,
                     List<Long> gapsMs, long firstStartMs, long closeMs) {

    DispatchRound {
        if (workers < 1 || tasks < 1 || sleepMs < 1 || wallMs < 1) {
            throw new IllegalArgumentException("workers " + workers + ", tasks " + tasks + ", sleepMs " + sleepMs
                    + " and wallMs " + wallMs + " must each be 1 or more");
        }
        tasksPerWorker = Map.copyOf(tasksPerWorker);
        gapsMs = List.copyOf(gapsMs);
    }

    /**
     * Summarizes the runs of one round.
     *
     * @param publishedMs when the round plan was published, epoch milliseconds
     * @param closedMs    when the RoundCompleted was received, epoch milliseconds
     * @param executions  every task run of the round, at least one
     */
    static DispatchRound of(int workers, long sleepMs, long publishedMs, long closedMs,
                            Collection<SleepingTaskProcessor.Execution> executions) {
        if (executions.isEmpty()) {
            throw new IllegalArgumentException("The round has no task run; a closed round ran at least one task");
        }
        Map<String, List<SleepingTaskProcessor.Execution>> byWorker = new TreeMap<>();
        executions.forEach(run -> byWorker.computeIfAbsent(run.workerId(), id -> new ArrayList<>()).add(run));
        Map<String, Integer> counts = new TreeMap<>();
        List<Long> gaps = new ArrayList<>();
        for (Map.Entry<String, List<SleepingTaskProcessor.Execution>> worker : byWorker.entrySet()) {
            List<SleepingTaskProcessor.Execution> runs = worker.getValue().stream()
                    .sorted(Comparator.comparingLong(SleepingTaskProcessor.Execution::startedMs)).toList();
            counts.put(worker.getKey(), runs.size());
            for (int i = 1; i < runs.size(); i++) {
                gaps.add(runs.get(i).startedMs() - runs.get(i - 1).finishedMs());
            }
        }
        long firstStart = executions.stream().mapToLong(SleepingTaskProcessor.Execution::startedMs).min().orElseThrow();
        long lastFinish = executions.stream().mapToLong(SleepingTaskProcessor.Execution::finishedMs).max().orElseThrow();
        return new DispatchRound(workers, executions.size(), sleepMs, closedMs - publishedMs, counts, gaps,
                firstStart - publishedMs, closedMs - lastFinish);
    }

    /** Tasks per second over the round's wall time. */
    double tasksPerSecond() {
        return tasks * 1000.0 / wallMs;
    }

    /** Tasks per second with every worker sleeping all the time: {@code workers * 1000 / sleepMs}. */
    double idealTasksPerSecond() {
        return workers * 1000.0 / sleepMs;
    }

    /** Measured over ideal throughput, in (0, 1] unless a task slept less than {@code sleepMs}. */
    double efficiency() {
        return tasksPerSecond() / idealTasksPerSecond();
    }

    /** Tasks run by the worker that ran the most. */
    int busiestWorkerTasks() {
        return tasksPerWorker.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /**
     * Returns the efficiency if each task took exactly its sleep and nothing else took time. The
     * round then lasts {@code busiestWorkerTasks * sleepMs}, so the bound is
     * {@code tasks / (workers * busiestWorkerTasks)}.
     */
    double balanceBound() {
        return tasks / (double) (workers * busiestWorkerTasks());
    }
}
