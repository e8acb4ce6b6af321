package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestLineage;
import dev.quantfleet.common.messages.WireIds;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.search.SearchIds;

import java.util.List;

/**
 * Builds the request that re-runs the last finished search of a model on a new model version. It
 * keeps the earlier request's goal, data, labels, budget, strategy, seed and pool. It has the new
 * model, the earlier winner's configuration as its only warm start, and the lineage.
 */
public final class RequantizationRequests {

    /** The {@code submittedBy} of every re-quantization request. */
    public static final String SUBMITTED_BY = "quantfleet-coordinator";

    /** The {@code source} of every re-quantization request. */
    public static final String SOURCE = "model-event";

    private static final String ID_PREFIX = "requant-";
    private static final int NAME_PART_MAX_LENGTH = 40;
    private static final int EVENT_HASH_HEX_DIGITS = 16;

    private RequantizationRequests() {
    }

    /**
     * Returns the request for {@code event}, whose {@link ModelEvent#model() model} is set.
     *
     * @param createdAtMs the request's creation time in epoch milliseconds
     */
    public static QuantizationRequest of(RequestHistory.FinishedSearch previous, ModelEvent event, long createdAtMs) {
        if (event.model() == null) {
            throw new IllegalArgumentException("The model of " + event.describe() + " is not imported yet;"
                    + " import the object before building the request");
        }
        QuantizationRequest earlier = previous.request();
        RequestLineage lineage = new RequestLineage(earlier.requestId(), earlier.model().version(),
                previous.winner().candidateId(), event.eventId(), event.source(), event.bucket(), event.objectKey(),
                event.objectVersionId(), event.objectETag());
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId(event), event.model(),
                earlier.calibrationData(), earlier.evaluationData(), earlier.labels(), earlier.goal(),
                earlier.strategy(), earlier.budget(), earlier.seed(), earlier.pool(),
                List.of(previous.winner().config()), SUBMITTED_BY, SOURCE, createdAtMs, lineage);
    }

    /**
     * Returns the request id of {@code event}:
     * {@code requant-<model>-<version>-<first 16 hex digits of sha256(eventId)>}, with every
     * character that a request id does not allow in model and version replaced by {@code -}, and
     * each of them cut to {@value #NAME_PART_MAX_LENGTH} characters. The id depends on the event id
     * alone, so handling an event twice, e.g. after a crash, sends the same request id, which the
     * coordinator runs once.
     */
    public static String requestId(ModelEvent event) {
        String hash = SearchIds.sha256Hex(event.eventId()).substring(0, EVENT_HASH_HEX_DIGITS);
        return WireIds.checkRequestId(ID_PREFIX + idPart(event.modelName()) + "-" + idPart(event.modelVersion()) + "-"
                + hash);
    }

    private static String idPart(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9._-]", "-");
        return cleaned.length() <= NAME_PART_MAX_LENGTH ? cleaned : cleaned.substring(0, NAME_PART_MAX_LENGTH);
    }
}
