package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The chosen candidate of a search.
 *
 * @param candidateId id of {@code config}
 * @param config      the configuration to quantize the model with
 * @param metrics     metric name to value, sorted by name
 * @param cost        size, integer share and latency
 */
public record OutcomeWinner(@JsonProperty(required = true) String candidateId,
                            @JsonProperty(required = true) QuantConfig config,
                            @JsonProperty(required = true) SortedMap<String, Double> metrics,
                            @JsonProperty(required = true) Cost cost) {

    public OutcomeWinner {
        WireChecks.requiredText(candidateId, "candidateId");
        WireChecks.required(config, "config");
        String expected = SearchIds.candidateId(config);
        if (!candidateId.equals(expected)) {
            throw new IllegalArgumentException("candidateId is '" + candidateId + "', but the config's id is '"
                    + expected + "'");
        }
        metrics = new TreeMap<>(WireChecks.required(metrics, "metrics"));
        WireChecks.required(cost, "cost");
    }
}
