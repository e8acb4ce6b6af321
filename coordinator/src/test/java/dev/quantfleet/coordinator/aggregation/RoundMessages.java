package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.TaskTimings;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.TaskKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Round plans, tasks and results of one request, small enough to read in a test. */
final class RoundMessages {

    static final long SEED = 42L;

    private RoundMessages() {
    }

    /** Returns the BASELINE and CALIBRATE tasks of round 0, at attempt 1. */
    static List<Task> roundZeroTasks(String requestId, String pool, long deadlineMs) {
        return List.of(
                task(requestId, 0, TaskKind.BASELINE, null, pool, deadlineMs),
                task(requestId, 0, TaskKind.CALIBRATE, null, pool, deadlineMs));
    }

    /** Returns one EVALUATE task per preset of {@code presetNames}, in that order, at attempt 1. */
    static List<Task> evaluateTasks(String requestId, int round, String pool, long deadlineMs, String... presetNames) {
        List<Task> tasks = new ArrayList<>();
        for (String name : presetNames) {
            tasks.add(task(requestId, round, TaskKind.EVALUATE, Presets.byName(name), pool, deadlineMs));
        }
        return tasks;
    }

    static RoundOpened plan(List<Task> tasks, long deadlineMs, int maxAttempts) {
        Task first = tasks.get(0);
        return RoundOpened.of(first.requestId(), first.round(), tasks, deadlineMs, maxAttempts);
    }

    static TaskResult okResult(Task task, String workerId) {
        Evaluation evaluation = Evaluation.ok(Map.of("cosine", 0.998), new Cost(1_024L, 0.9, null), List.of());
        return result(task, evaluation, workerId);
    }

    static TaskResult failedResult(Task task, String workerId) {
        return result(task, Evaluation.failed("Quantizing node /conv failed: no calibration range"), workerId);
    }

    static TaskResult unsupportedResult(Task task, String workerId) {
        return result(task, Evaluation.unsupported("ConvInteger is not implemented for the target"), workerId);
    }

    private static TaskResult result(Task task, Evaluation evaluation, String workerId) {
        return TaskResult.of(task, evaluation, null, new TaskTimings(1_000L, 1_100L, 1_500L), workerId, null);
    }

    private static Task task(String requestId, int round, TaskKind kind, QuantConfig config, String pool,
                             long deadlineMs) {
        String candidateId = config == null ? SearchIds.FLOAT_MODEL_ID : SearchIds.candidateId(config);
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION, SearchIds.taskId(requestId, round, kind, candidateId),
                requestId, round, kind, candidateId, config, SearchIds.seed(SEED, candidateId), pool, artifacts(),
                deadlineMs, 1, List.of(), null, null, new TaskSettings(1, false));
    }

    private static TaskArtifacts artifacts() {
        ModelReference model = new ModelReference("tiny", "1", artifact("model.onnx", 'a'), List.of());
        DataReference data = new DataReference(artifact("samples.npz", 'b'), "samples.npz", null, null);
        return new TaskArtifacts(model, data, data, null, null, null);
    }

    private static ArtifactRef artifact(String fileName, char digit) {
        String sha256 = String.valueOf(digit).repeat(64);
        return new ArtifactRef("sha256/" + sha256.substring(0, 2) + "/" + sha256 + "/" + fileName, sha256, 100L);
    }
}
