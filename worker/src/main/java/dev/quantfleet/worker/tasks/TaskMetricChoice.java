package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.evaluation.TaskMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the task metrics a worker computes besides the fidelity metrics: the ones the task's
 * settings name (the coordinator sends the goal's metric), or, when a producer left them out,
 * metrics derived from the data: {@code accuracy} when the task has class labels, and
 * {@code recall@1}, {@code recall@10} and {@code mrr} when the evaluation data is a {@code .tsv}
 * file of query/document pairs.
 */
final class TaskMetricChoice {

    /** Metrics computed for query/document pairs. */
    static final List<String> PAIR_METRICS = List.of("recall@1", "recall@10", "mrr");

    private TaskMetricChoice() {
    }

    static List<TaskMetric> forTask(Task task) {
        List<String> named = task.settings().taskMetrics();
        if (named != null) {
            return named.stream().map(TaskMetrics::byName).toList();
        }
        return forArtifacts(task.artifacts());
    }

    static List<TaskMetric> forArtifacts(TaskArtifacts artifacts) {
        List<TaskMetric> metrics = new ArrayList<>();
        if (artifacts.labels() != null) {
            metrics.add(TaskMetrics.byName("accuracy"));
        }
        if (artifacts.evaluationData().fileName().toLowerCase(Locale.ROOT).endsWith(".tsv")) {
            PAIR_METRICS.forEach(name -> metrics.add(TaskMetrics.byName(name)));
        }
        return metrics;
    }
}
