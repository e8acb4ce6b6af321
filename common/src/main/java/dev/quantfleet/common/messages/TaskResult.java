package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.TaskKind;

/**
 * The result of one attempt at a task, sent on {@code quantfleet.results} with the request id as
 * key, so that one partition sees every result of a request.
 *
 * @param schemaVersion {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param taskId        the task's id; consistent with requestId, round, kind and candidateId
 * @param requestId     the request the task belongs to
 * @param round         the task's round
 * @param kind          the task's kind
 * @param candidateId   the task's candidate id
 * @param status        OK, FAILED or UNSUPPORTED; equal to {@code evaluation.status}
 * @param evaluation    metrics, cost and quantized nodes when OK, the reason otherwise
 * @param artifacts     files the task uploaded
 * @param timings       queue, start and finish times
 * @param workerId      the worker that ran the attempt, e.g. its host name and process id
 * @param attempt       the attempt this result is for, 1 or more
 * @param provenance    software versions, execution provider, threads and CPU features of the
 *                      worker; null when the worker failed before it could read them
 */
public record TaskResult(@JsonProperty(required = true) int schemaVersion,
                         @JsonProperty(required = true) String taskId,
                         @JsonProperty(required = true) String requestId,
                         @JsonProperty(required = true) int round,
                         @JsonProperty(required = true) TaskKind kind,
                         @JsonProperty(required = true) String candidateId,
                         @JsonProperty(required = true) EvaluationStatus status,
                         @JsonProperty(required = true) Evaluation evaluation,
                         ProducedArtifacts artifacts,
                         @JsonProperty(required = true) TaskTimings timings,
                         @JsonProperty(required = true) String workerId,
                         @JsonProperty(required = true) int attempt,
                         Provenance provenance) implements WireMessage {

    public TaskResult {
        WireChecks.checkSchemaVersion(schemaVersion, "TaskResult");
        WireIds.checkRequestId(requestId);
        WireChecks.atLeast(round, 0, "round");
        WireChecks.required(kind, "kind");
        WireChecks.requiredText(candidateId, "candidateId");
        TaskConsistency.checkIds(taskId, requestId, round, kind, candidateId);
        WireChecks.required(status, "status");
        WireChecks.required(evaluation, "evaluation");
        if (evaluation.status() != status) {
            throw new IllegalArgumentException("status is " + status + ", but evaluation.status is "
                    + evaluation.status() + "; they must be equal");
        }
        if (status == EvaluationStatus.OK && evaluation.cost() == null) {
            throw new IllegalArgumentException("evaluation.cost is missing; an OK evaluation needs its cost");
        }
        if (status != EvaluationStatus.OK && (evaluation.reason() == null || evaluation.reason().isBlank())) {
            throw new IllegalArgumentException("evaluation.reason is missing; a " + status
                    + " evaluation needs the reason");
        }
        artifacts = artifacts == null ? ProducedArtifacts.none() : artifacts;
        WireChecks.required(timings, "timings");
        WireChecks.requiredText(workerId, "workerId");
        WireChecks.atLeast(attempt, 1, "attempt");
    }

    /** Returns the result of {@code task} with {@code evaluation}, for the task's current attempt. */
    public static TaskResult of(Task task, Evaluation evaluation, ProducedArtifacts artifacts, TaskTimings timings,
                                String workerId, Provenance provenance) {
        return new TaskResult(WireMessage.CURRENT_SCHEMA_VERSION, task.taskId(), task.requestId(), task.round(),
                task.kind(), task.candidateId(), evaluation.status(), evaluation, artifacts, timings, workerId,
                task.attempt(), provenance);
    }
}
