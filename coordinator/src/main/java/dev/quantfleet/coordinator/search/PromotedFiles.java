package dev.quantfleet.coordinator.search;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The files that promotion stored for a COMPLETED request, below
 * {@code <prefix>/quantized/<model>/<version>/<request id>/}.
 *
 * @param model      {@code model.onnx}, the winner's quantized model; null when the search has no winner or
 *                   its worker stored no model
 * @param reportJson {@code report.json}; null when the report could not be built
 * @param reportHtml {@code report.html}; null when the report could not be built
 */
@Schema(description = "Files stored for a COMPLETED request below <prefix>/quantized/<model>/<version>/<request id>/.")
public record PromotedFiles(
        @Schema(description = "The winner's quantized model.onnx; null when the search has no winner or its"
                + " worker stored no model.", nullable = true) StoredArtifact model,
        @Schema(description = "report.json of the search; null when the report could not be built.",
                nullable = true) StoredArtifact reportJson,
        @Schema(description = "report.html of the search; null when the report could not be built.",
                nullable = true) StoredArtifact reportHtml) {
}
