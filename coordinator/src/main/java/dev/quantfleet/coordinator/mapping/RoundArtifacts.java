package dev.quantfleet.coordinator.mapping;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.engine.search.TaskKind;

import java.util.Collection;

/**
 * The files that round 0 produced and every later task reads: the calibration statistics of the
 * CALIBRATE task and the reference outputs of the BASELINE task. Either is null when its task
 * failed or did not upload it.
 */
public record RoundArtifacts(ArtifactRef calibrationStatistics, ArtifactRef referenceOutputs) {

    /** Returns the artifacts before round 0 finished: none. */
    public static RoundArtifacts none() {
        return new RoundArtifacts(null, null);
    }

    /** Picks the statistics of the CALIBRATE result and the reference outputs of the BASELINE result. */
    public static RoundArtifacts of(Collection<TaskResult> roundZeroResults) {
        ArtifactRef statistics = null;
        ArtifactRef reference = null;
        for (TaskResult result : roundZeroResults) {
            if (result.round() != 0) {
                continue;
            }
            if (result.kind() == TaskKind.CALIBRATE) {
                statistics = result.artifacts().calibrationStatistics();
            } else if (result.kind() == TaskKind.BASELINE) {
                reference = result.artifacts().referenceOutputs();
            }
        }
        return new RoundArtifacts(statistics, reference);
    }
}
