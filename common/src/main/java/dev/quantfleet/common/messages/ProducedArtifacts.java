package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

/**
 * Files a task uploaded to the artifact store; each is null when the task produced no such file.
 *
 * @param calibrationStatistics activation statistics, from a CALIBRATE task
 * @param referenceOutputs      the float model's outputs on the evaluation samples, from a BASELINE task
 * @param quantizedModel        the quantized model, from an EVALUATE task when the coordinator asked for it
 */
public record ProducedArtifacts(ArtifactRef calibrationStatistics, ArtifactRef referenceOutputs,
                                ArtifactRef quantizedModel) {

    /** Returns an instance with no files. */
    public static ProducedArtifacts none() {
        return new ProducedArtifacts(null, null, null);
    }
}
