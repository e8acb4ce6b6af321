package dev.quantfleet.coordinator.mapping;

import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.evaluation.FidelityMetrics;
import dev.quantfleet.engine.search.SearchTask;

import java.util.List;

/**
 * Turns engine {@link SearchTask}s into wire {@link Task}s. Tasks of round 0 (BASELINE and
 * CALIBRATE) carry only the request's model and data. Tasks of later rounds also carry the
 * calibration statistics and reference outputs that round 0 produced.
 */
public final class TaskMapping {

    private TaskMapping() {
    }

    /**
     * Returns the first attempt of {@code task}.
     *
     * @param roundZero  the files of round 0; ignored for tasks of round 0
     * @param deadlineMs epoch milliseconds after which a worker does not start the task; null for none
     */
    public static Task toTask(SearchTask task, QuantizationRequest request, RoundArtifacts roundZero, Long deadlineMs,
                              TaskSettings settings) {
        boolean laterRound = task.round() > 0;
        TaskArtifacts artifacts = new TaskArtifacts(request.model(), request.calibrationData(),
                request.evaluationData(), request.labels(),
                laterRound ? roundZero.calibrationStatistics() : null,
                laterRound ? roundZero.referenceOutputs() : null);
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION, task.taskId(), task.requestId(), task.round(), task.kind(),
                task.candidateId(), task.config(), task.seed(), request.pool(), artifacts, deadlineMs, 1,
                task.nodes(), task.sensitivityMode(), task.baseCandidateId(),
                settings.withTaskMetrics(taskMetricsOf(request)));
    }

    /** Returns the goal's metric when it is a task metric, so that the worker computes exactly it. */
    static List<String> taskMetricsOf(QuantizationRequest request) {
        String metric = request.goal().metric();
        return FidelityMetrics.names().contains(metric) ? List.of() : List.of(metric);
    }
}
