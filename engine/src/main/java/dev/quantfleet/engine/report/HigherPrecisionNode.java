package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * A node of the winner that kept a higher precision than the configuration's types.
 *
 * @param node      the node name, as in the model
 * @param precision float (not quantized) or int16
 * @param reason    why, e.g. the sensitivity drop that made the search keep it
 */
@JsonPropertyOrder({"node", "precision", "reason"})
public record HigherPrecisionNode(String node, HigherPrecision precision, String reason) {

    public HigherPrecisionNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(reason, "reason");
    }
}
