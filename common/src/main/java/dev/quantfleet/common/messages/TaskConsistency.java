package dev.quantfleet.common.messages;

import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SensitivityMode;
import dev.quantfleet.engine.search.TaskKind;

import java.util.List;

/** Checks that the ids, kind and sensitivity fields of a task agree with each other. */
final class TaskConsistency {

    private TaskConsistency() {
    }

    static void check(String taskId, String requestId, int round, TaskKind kind, String candidateId,
                      QuantConfig config, List<String> nodes, SensitivityMode sensitivityMode,
                      String baseCandidateId) {
        checkIds(taskId, requestId, round, kind, candidateId);
        checkConfig(kind, candidateId, config);
        boolean sensitivity = kind == TaskKind.SENSITIVITY;
        if (sensitivity && (nodes.isEmpty() || sensitivityMode == null || baseCandidateId == null)) {
            throw new IllegalArgumentException("A SENSITIVITY task needs nodes, sensitivityMode and baseCandidateId;"
                    + " got nodes " + nodes + ", sensitivityMode " + sensitivityMode + ", baseCandidateId "
                    + baseCandidateId);
        }
        if (!sensitivity && (!nodes.isEmpty() || sensitivityMode != null || baseCandidateId != null)) {
            throw new IllegalArgumentException("nodes, sensitivityMode and baseCandidateId are for SENSITIVITY tasks"
                    + " only; remove them from this " + kind + " task");
        }
    }

    /** Checks {@code taskId} against the id the other fields give. */
    static void checkIds(String taskId, String requestId, int round, TaskKind kind, String candidateId) {
        WireChecks.requiredText(taskId, "taskId");
        String expected = SearchIds.taskId(requestId, round, kind, candidateId);
        if (!taskId.equals(expected)) {
            throw new IllegalArgumentException("taskId is '" + taskId + "', but requestId, round, kind and candidateId"
                    + " give '" + expected + "'");
        }
    }

    private static void checkConfig(TaskKind kind, String candidateId, QuantConfig config) {
        boolean floatModel = kind == TaskKind.BASELINE || kind == TaskKind.CALIBRATE;
        if (floatModel) {
            if (config != null) {
                throw new IllegalArgumentException("A " + kind + " task runs the float model; remove its config");
            }
            if (!candidateId.equals(SearchIds.FLOAT_MODEL_ID)) {
                throw new IllegalArgumentException("candidateId of a " + kind + " task is '" + candidateId
                        + "'; it must be '" + SearchIds.FLOAT_MODEL_ID + "'");
            }
            return;
        }
        if (config == null) {
            throw new IllegalArgumentException("config is missing; a " + kind + " task needs the configuration"
                    + " to quantize with");
        }
        String expected = SearchIds.candidateId(config);
        if (!candidateId.equals(expected)) {
            throw new IllegalArgumentException("candidateId is '" + candidateId + "', but the config's id is '"
                    + expected + "'");
        }
    }
}
