package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SensitivityMode;
import dev.quantfleet.engine.search.TaskKind;

import java.util.List;

/**
 * One unit of work for a worker, sent on {@code quantfleet.tasks.<pool>} with the task id as key.
 * The ids are consistent by construction: {@code taskId} is
 * {@code SearchIds.taskId(requestId, round, kind, candidateId)}, and {@code candidateId} is
 * {@code SearchIds.candidateId(config)} when there is a config.
 *
 * @param schemaVersion   {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param taskId          {@code <requestId>/r<round, 4 digits>/<kind>/<candidateId>}
 * @param requestId       the request the task belongs to
 * @param round           0 for BASELINE and CALIBRATE, 1 or more for the rounds of proposals
 * @param kind            BASELINE, CALIBRATE, EVALUATE or SENSITIVITY
 * @param candidateId     id of {@code config}, or {@code float} for BASELINE and CALIBRATE
 * @param config          the configuration to quantize with; null exactly for BASELINE and CALIBRATE
 * @param seed            seed of any random choice the worker makes
 * @param pool            the pool whose topic carries the task
 * @param artifacts       model, data and the outputs of earlier rounds
 * @param deadlineMs      epoch milliseconds after which the worker does not start the task; null for none
 * @param attempt         1 for the first delivery, raised on each retry
 * @param nodes           for SENSITIVITY, the node or block of nodes probed; empty otherwise
 * @param sensitivityMode for SENSITIVITY, how the probe isolates the nodes; null otherwise
 * @param baseCandidateId for SENSITIVITY, the candidate the probe derives from; null otherwise
 * @param settings        session threads and latency measurement
 */
public record Task(@JsonProperty(required = true) int schemaVersion,
                   @JsonProperty(required = true) String taskId,
                   @JsonProperty(required = true) String requestId,
                   @JsonProperty(required = true) int round,
                   @JsonProperty(required = true) TaskKind kind,
                   @JsonProperty(required = true) String candidateId,
                   QuantConfig config,
                   @JsonProperty(required = true) long seed,
                   @JsonProperty(required = true) String pool,
                   @JsonProperty(required = true) TaskArtifacts artifacts,
                   Long deadlineMs,
                   @JsonProperty(required = true) int attempt,
                   List<String> nodes,
                   SensitivityMode sensitivityMode,
                   String baseCandidateId,
                   @JsonProperty(required = true) TaskSettings settings) implements WireMessage {

    public Task {
        WireChecks.checkSchemaVersion(schemaVersion, "Task");
        WireIds.checkRequestId(requestId);
        WireChecks.atLeast(round, 0, "round");
        WireChecks.required(kind, "kind");
        WireChecks.requiredText(candidateId, "candidateId");
        Topics.checkPoolName(pool);
        WireChecks.required(artifacts, "artifacts");
        WireChecks.atLeast(attempt, 1, "attempt");
        WireChecks.required(settings, "settings");
        nodes = WireChecks.listOrEmpty(nodes, "nodes");
        TaskConsistency.check(taskId, requestId, round, kind, candidateId, config, nodes, sensitivityMode,
                baseCandidateId);
    }

    /** Returns this task for its next delivery: {@code attempt} raised by one, all else equal. */
    public Task nextAttempt() {
        return new Task(schemaVersion, taskId, requestId, round, kind, candidateId, config, seed, pool, artifacts,
                deadlineMs, attempt + 1, nodes, sensitivityMode, baseCandidateId, settings);
    }

    /** Returns the topic that carries this task. */
    public String topic() {
        return Topics.tasks(pool);
    }
}
