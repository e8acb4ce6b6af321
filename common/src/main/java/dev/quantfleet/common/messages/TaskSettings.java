package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The settings a worker runs the models of one task with.
 *
 * @param threads        intra-op threads of every ONNX Runtime session; 1 or more
 * @param measureLatency whether to measure latency, which is slow and needs a quiet machine
 * @param taskMetrics    task metrics to compute besides the fidelity metrics, e.g. the goal's
 *                       {@code recall@5}; null lets the worker choose from the data
 *                       ({@code accuracy} with labels, {@code recall@1}, {@code recall@10} and
 *                       {@code mrr} with query/document pairs)
 */
public record TaskSettings(@JsonProperty(required = true) int threads, boolean measureLatency,
                           List<String> taskMetrics) {

    public TaskSettings {
        WireChecks.atLeast(threads, 1, "threads");
        taskMetrics = taskMetrics == null ? null : List.copyOf(taskMetrics);
    }

    /** Settings that leave the choice of task metrics to the worker. */
    public TaskSettings(int threads, boolean measureLatency) {
        this(threads, measureLatency, null);
    }

    public TaskSettings withTaskMetrics(List<String> metrics) {
        return new TaskSettings(threads, measureLatency, metrics);
    }
}
