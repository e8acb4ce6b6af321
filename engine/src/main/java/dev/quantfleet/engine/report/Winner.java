package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The candidate the search chose.
 *
 * @param candidateId            id of the candidate, equal to one in {@link SearchReport#candidates()}
 * @param config                 its quantization configuration
 * @param metrics                metric name to value, sorted by name
 * @param cost                   size, integer share and latency
 * @param nodesInHigherPrecision nodes kept in float or int16, in the order given
 */
@JsonPropertyOrder({"candidateId", "config", "metrics", "cost", "nodesInHigherPrecision"})
public record Winner(String candidateId, QuantConfig config, SortedMap<String, Double> metrics, Cost cost,
                     List<HigherPrecisionNode> nodesInHigherPrecision) {

    public Winner {
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(config, "config");
        metrics = Metrics.sortedCopy(metrics);
        Objects.requireNonNull(cost, "cost");
        nodesInHigherPrecision = nodesInHigherPrecision == null ? List.of() : List.copyOf(nodesInHigherPrecision);
    }
}
