package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.search.SearchTask;
import dev.quantfleet.engine.search.TaskExecutor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a search's task executor and records the wall time of each task it runs, by task id.
 * In a search with one task at a time these are the times of the tasks alone.
 */
final class TaskTimes {

    private final Map<String, Long> millisByTaskId = new ConcurrentHashMap<>();

    /** Returns an executor that runs each task with {@code executor} and records its wall time. */
    TaskExecutor wrap(TaskExecutor executor) {
        return (SearchTask task) -> {
            long start = System.nanoTime();
            try {
                return executor.execute(task);
            } finally {
                millisByTaskId.put(task.taskId(), (System.nanoTime() - start) / 1_000_000);
            }
        };
    }

    /** Returns the recorded times in milliseconds, sorted by task id. */
    Map<String, Long> millisByTaskId() {
        return new TreeMap<>(millisByTaskId);
    }
}
