package dev.quantfleet.cli.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.quantfleet.common.artifacts.ArtifactRef;

import java.util.List;

/**
 * The coordinator's view of one request, as {@code GET /requests/{id}} returns it.
 *
 * @param requestId        the request
 * @param state            PENDING, RUNNING, COMPLETED or REJECTED
 * @param round            the open or last round; -1 before round 0
 * @param tasksDone        results of the open round so far
 * @param tasksTotal       tasks of the open round
 * @param trials           EVALUATE and SENSITIVITY tasks run in the closed rounds
 * @param bestCandidateId  the best candidate so far; null when none was evaluated OK
 * @param metric           the goal's metric; null before the request was accepted
 * @param bestMetric       the best candidate's value of {@code metric}; null without one
 * @param bestAcceptable   whether the best candidate meets the goal
 * @param report           the report.json of a COMPLETED request; null otherwise
 * @param rejectionReasons why the request was rejected; empty unless REJECTED
 * @param promoted         the stored model and reports of a COMPLETED request; null before and from
 *                         coordinators that do not send them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetStatus(String requestId, String state, int round, int tasksDone, int tasksTotal, int trials,
                          String bestCandidateId, String metric, Double bestMetric, boolean bestAcceptable,
                          ArtifactRef report, List<String> rejectionReasons, Promoted promoted) {

    /**
     * The files stored for a COMPLETED request, each null when the coordinator stored none.
     *
     * @param model      the winner's model.onnx
     * @param reportJson the report.json
     * @param reportHtml the report.html
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Promoted(StoredObject model, StoredObject reportJson, StoredObject reportHtml) {
    }

    /** An object of the fleet's artifact store: bucket, key, SHA-256 and size in bytes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StoredObject(String bucket, String key, String sha256, long sizeBytes) {

        /** Returns the object's address, e.g. {@code s3://quantfleet/quantfleet/quantized/tiny/1/r/model.onnx}. */
        public String s3Uri() {
            return "s3://" + bucket + "/" + key;
        }
    }

    public static final String COMPLETED = "COMPLETED";
    public static final String REJECTED = "REJECTED";

    public FleetStatus {
        rejectionReasons = rejectionReasons == null ? List.of() : List.copyOf(rejectionReasons);
    }

    /** Returns whether the request reached its end: COMPLETED or REJECTED. */
    public boolean finished() {
        return COMPLETED.equals(state) || REJECTED.equals(state);
    }

    /** Returns whether the coordinator rejected the request. */
    public boolean rejected() {
        return REJECTED.equals(state);
    }
}
