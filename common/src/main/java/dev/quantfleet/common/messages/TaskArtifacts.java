package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The files a worker downloads for one task.
 *
 * @param model                 the float model with its external data
 * @param calibrationData       the calibration samples (with tokenizer and length limit for text)
 * @param evaluationData        the evaluation samples (with tokenizer and length limit for text)
 * @param labels                labels of the evaluation samples; null for none
 * @param calibrationStatistics the statistics that the CALIBRATE task produced; null in round 0,
 *                              set for the EVALUATE and SENSITIVITY tasks of later rounds
 * @param referenceOutputs      the float model's outputs on the evaluation samples, produced by
 *                              the BASELINE task; null in round 0
 */
public record TaskArtifacts(@JsonProperty(required = true) ModelReference model,
                            @JsonProperty(required = true) DataReference calibrationData,
                            @JsonProperty(required = true) DataReference evaluationData,
                            ArtifactRef labels,
                            ArtifactRef calibrationStatistics,
                            ArtifactRef referenceOutputs) {

    public TaskArtifacts {
        WireChecks.required(model, "model");
        WireChecks.required(calibrationData, "calibrationData");
        WireChecks.required(evaluationData, "evaluationData");
    }
}
