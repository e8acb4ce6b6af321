package dev.quantfleet.coordinator.mapping;

import dev.quantfleet.common.messages.RequestLineage;
import dev.quantfleet.engine.report.Lineage;

/** Turns the wire {@link RequestLineage} of a re-quantization request into the report's {@link Lineage}. */
public final class LineageMapping {

    private LineageMapping() {
    }

    /** Returns the report lineage of {@code lineage}, or null when the request has none. */
    public static Lineage toReport(RequestLineage lineage) {
        if (lineage == null) {
            return null;
        }
        return new Lineage(lineage.previousRequestId(), lineage.previousModelVersion(),
                lineage.previousWinnerCandidateId(), lineage.eventId(), lineage.eventSource().name(),
                lineage.bucket(), lineage.objectKey(), lineage.objectVersionId(), lineage.objectETag());
    }
}
