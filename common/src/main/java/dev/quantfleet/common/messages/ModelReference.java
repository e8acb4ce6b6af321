package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One version of a float ONNX model in the artifact store.
 *
 * @param name         model name, e.g. {@code minilm}; the key of model events
 * @param version      model version as its publisher names it, e.g. {@code 3} or {@code 2024-06-01}
 * @param onnx         the {@code .onnx} file
 * @param externalData the external data files the ONNX file refers to, in the order the
 *                     publisher lists them; empty when the weights are inside the ONNX file
 */
public record ModelReference(@JsonProperty(required = true) String name,
                             @JsonProperty(required = true) String version,
                             @JsonProperty(required = true) ArtifactRef onnx,
                             List<ArtifactRef> externalData) {

    public ModelReference {
        WireChecks.requiredText(name, "name");
        WireChecks.requiredText(version, "version");
        WireChecks.required(onnx, "onnx");
        externalData = WireChecks.listOrEmpty(externalData, "externalData");
    }
}
