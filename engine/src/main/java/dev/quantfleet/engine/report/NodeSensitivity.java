package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.SensitivityMode;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * How much the goal metric moves when one node is isolated.
 *
 * @param node        the node name, as in the model
 * @param opType      the node's op type, or null when the search did not record it
 * @param mode        only this node quantized, or only this node in float
 * @param metricValue the goal metric of the probe model
 * @param drop        {@link Goal#drop} of the probe against the float model, in the goal's drop mode;
 *                    larger means more sensitive when the mode is only-quantized
 * @param cached      the value came from an earlier run's cache instead of a new evaluation
 */
@JsonPropertyOrder({"node", "opType", "mode", "metricValue", "drop", "cached"})
public record NodeSensitivity(String node, String opType, SensitivityMode mode, double metricValue, double drop,
                              boolean cached) {

    public NodeSensitivity {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(mode, "mode");
    }
}
