package dev.quantfleet.coordinator.promotion;

import dev.quantfleet.common.artifacts.ArtifactRef;

/**
 * The artifacts that promotion stored below {@code quantized/<model>/<version>/<request id>/}.
 *
 * @param model      {@code model.onnx}, the winner's quantized model; null without a winner or its model
 * @param reportJson {@code report.json}; null when the report could not be built
 * @param reportHtml {@code report.html}; null when the report could not be built
 */
public record PromotedArtifacts(ArtifactRef model, ArtifactRef reportJson, ArtifactRef reportHtml) {
}
