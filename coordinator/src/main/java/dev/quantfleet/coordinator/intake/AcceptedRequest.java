package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.engine.search.SearchRequest;

import java.util.Map;

/**
 * A request that passed validation, with what the search needs from its model.
 *
 * @param request the wire request
 * @param search  the engine request built from it
 * @param opTypes op type by node name of the model's main graph, for the report
 */
public record AcceptedRequest(QuantizationRequest request, SearchRequest search, Map<String, String> opTypes) {

    public AcceptedRequest {
        opTypes = Map.copyOf(opTypes);
    }
}
