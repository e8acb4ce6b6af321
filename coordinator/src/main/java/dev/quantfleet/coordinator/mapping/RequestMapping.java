package dev.quantfleet.coordinator.mapping;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.search.ModelFacts;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SearchInputs;
import dev.quantfleet.engine.search.SearchRequest;
import dev.quantfleet.engine.search.SearchSpace;


/**
 * Turns a wire {@link QuantizationRequest} into the engine's {@link SearchRequest}, warm-start
 * configurations included.
 *
 * <p>The inputs are named by their object keys and hashed by the SHA-256 of their artifact
 * references: {@code modelSha256} is the {@code .onnx} file's, and {@code dataSha256} is
 * {@code sha256("<calibration sha256>/<evaluation sha256>/<labels sha256 or empty>")}. Those
 * hashes key the sensitivity cache only; no task id or seed depends on them, so a search gives the
 * same candidates as {@code LocalSearch} for the same model, data, goal, strategy, budget and seed.
 */
public final class RequestMapping {

    private RequestMapping() {
    }

    /**
     * @param model             the request's float model, loaded with its external data
     * @param executionProvider the ONNX Runtime execution provider of the request's pool
     */
    public static SearchRequest toSearchRequest(QuantizationRequest request, ModelProto model,
                                                String executionProvider) {
        ModelFacts facts = ModelFacts.of(model, ModelFacts.maxReachableOpset(model), executionProvider);
        return new SearchRequest(request.requestId(), inputsOf(request), facts, SearchSpace.defaults(),
                request.goal().toSearchGoal(), request.strategy(), request.budget().toSearchBudget(), request.seed(),
                null, request.warmStart());
    }

    /** Returns the model and data of {@code request} as the engine names and hashes them. */
    public static SearchInputs inputsOf(QuantizationRequest request) {
        ArtifactRef labels = request.labels();
        String dataSha256 = SearchIds.sha256Hex(request.calibrationData().data().sha256() + "/"
                + request.evaluationData().data().sha256() + "/" + (labels == null ? "" : labels.sha256()));
        return new SearchInputs(request.model().onnx().key(), request.model().onnx().sha256(),
                request.calibrationData().data().key(), request.evaluationData().data().key(), dataSha256);
    }
}
