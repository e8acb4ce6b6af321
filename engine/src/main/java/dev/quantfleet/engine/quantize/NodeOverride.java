package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Settings for one node that replace the configuration's: a different activation or weight
 * type (e.g. int16 activations for a node whose range int8 cannot resolve), or
 * {@code keepFloat} to leave the node unquantized. A null type means "as configured".
 */
@JsonPropertyOrder({"activationType", "weightType", "keepFloat"})
public record NodeOverride(QuantType activationType, QuantType weightType, boolean keepFloat) {

    @JsonCreator
    static NodeOverride fromJson(@JsonProperty("activationType") QuantType activationType,
                                 @JsonProperty("weightType") QuantType weightType,
                                 @JsonProperty("keepFloat") Boolean keepFloat) {
        return new NodeOverride(activationType, weightType, keepFloat != null && keepFloat);
    }

    public static NodeOverride keepInFloat() {
        return new NodeOverride(null, null, true);
    }

    public static NodeOverride activations(QuantType activationType) {
        return new NodeOverride(activationType, null, false);
    }

    public static NodeOverride weights(QuantType weightType) {
        return new NodeOverride(null, weightType, false);
    }
}
