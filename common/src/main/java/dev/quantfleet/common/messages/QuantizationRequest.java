package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;

/**
 * A request to search for the best quantization of one model version, sent on
 * {@code quantfleet.requests} with the request id as key.
 *
 * <p>The fields checked here are structural (present, typed, well formed). Whether the strategy
 * exists, the metric suits the data and the pool has workers is for the coordinator to judge;
 * it answers a request it cannot run with a {@link SearchOutcome} of status REJECTED.
 *
 * @param schemaVersion   {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param requestId       unique id of the request, see {@link WireIds#checkRequestId}
 * @param model           the float model to quantize
 * @param calibrationData samples the calibration runs on
 * @param evaluationData  samples the candidates are scored on
 * @param labels          labels of the evaluation samples for task metrics; null for none
 * @param goal            the quality goal and the objective
 * @param strategy        search strategy name, e.g. {@code auto}, {@code tpe}
 * @param budget          trial and wall-time limits
 * @param seed            seed of every random choice of the search
 * @param pool            the worker pool that runs the tasks; null is read as {@code cpu}
 * @param warmStart       configurations evaluated in the first round before the strategy's own;
 *                        empty for none
 * @param submittedBy     who submitted the request, e.g. a user or service name; null if unknown
 * @param source          how it was submitted, e.g. {@code kafka}, {@code rest}, {@code cli},
 *                        {@code model-event}; null if unknown
 * @param createdAtMs     submission time in epoch milliseconds; null if unknown
 * @param lineage         for a re-quantization that a model event started, the earlier request and
 *                        the event; null for every other request
 */
public record QuantizationRequest(@JsonProperty(required = true) int schemaVersion,
                                  @JsonProperty(required = true) String requestId,
                                  @JsonProperty(required = true) ModelReference model,
                                  @JsonProperty(required = true) DataReference calibrationData,
                                  @JsonProperty(required = true) DataReference evaluationData,
                                  ArtifactRef labels,
                                  @JsonProperty(required = true) RequestGoal goal,
                                  @JsonProperty(required = true) String strategy,
                                  @JsonProperty(required = true) RequestBudget budget,
                                  @JsonProperty(required = true) long seed,
                                  String pool,
                                  List<QuantConfig> warmStart,
                                  String submittedBy,
                                  String source,
                                  Long createdAtMs,
                                  RequestLineage lineage) implements WireMessage {

    public QuantizationRequest {
        WireChecks.checkSchemaVersion(schemaVersion, "QuantizationRequest");
        WireIds.checkRequestId(requestId);
        WireChecks.required(model, "model");
        WireChecks.required(calibrationData, "calibrationData");
        WireChecks.required(evaluationData, "evaluationData");
        WireChecks.required(goal, "goal");
        WireChecks.requiredText(strategy, "strategy");
        WireChecks.required(budget, "budget");
        pool = Topics.checkPoolName(pool == null ? Topics.DEFAULT_POOL : pool);
        warmStart = WireChecks.listOrEmpty(warmStart, "warmStart");
    }

    /** Creates a request without lineage, as every request that no model event started is. */
    public QuantizationRequest(int schemaVersion, String requestId, ModelReference model,
                               DataReference calibrationData, DataReference evaluationData, ArtifactRef labels,
                               RequestGoal goal, String strategy, RequestBudget budget, long seed, String pool,
                               List<QuantConfig> warmStart, String submittedBy, String source, Long createdAtMs) {
        this(schemaVersion, requestId, model, calibrationData, evaluationData, labels, goal, strategy, budget, seed,
                pool, warmStart, submittedBy, source, createdAtMs, null);
    }

    /**
     * Returns the SHA-256 (hex) of what decides the search's result: model, data, labels, goal,
     * strategy, budget, seed, pool and warm start. The request id, submitter, source, creation
     * time and lineage are left out, so two submissions of the same search have the same identity.
     */
    public String identitySha256() {
        QuantizationRequest identity = new QuantizationRequest(schemaVersion, "identity", model, calibrationData,
                evaluationData, labels, goal, strategy, budget, seed, pool, warmStart, null, null, null);
        return WireJson.sha256Hex(WireJson.toBytes(identity));
    }
}
