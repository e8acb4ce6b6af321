package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.artifacts.ArtifactRef;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The state of one request as the API shows it.
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
 * @param receivedAtMs     when the request arrived, epoch milliseconds
 * @param updatedAtMs      when this status last changed, epoch milliseconds
 * @param promoted         the promoted model and reports with their bucket, set once the search
 *                         stored them, just before it is COMPLETED; null before and for a REJECTED
 *                         request
 */
@Schema(description = "The state of one request.")
public record RequestStatus(
        @Schema(description = "The request id.") String requestId,
        @Schema(description = "Lifecycle state.") RequestState state,
        @Schema(description = "The open or last round; -1 before round 0.") int round,
        @Schema(description = "Results of the open round so far.") int tasksDone,
        @Schema(description = "Tasks of the open round.") int tasksTotal,
        @Schema(description = "EVALUATE and SENSITIVITY tasks run in the closed rounds.") int trials,
        @Schema(description = "The best candidate so far; null when none was evaluated OK.", nullable = true)
        String bestCandidateId,
        @Schema(description = "The goal's metric; null before the request was accepted.", nullable = true)
        String metric,
        @Schema(description = "The best candidate's value of the metric; null without one.", nullable = true)
        Double bestMetric,
        @Schema(description = "Whether the best candidate meets the goal.") boolean bestAcceptable,
        @Schema(description = "report.json of a COMPLETED request (key, sha256, sizeBytes); null otherwise. "
                + "promoted.reportJson is the same object with its bucket.", nullable = true)
        ArtifactRef report,
        @Schema(description = "Why the request was rejected, each reason with its fix; empty unless REJECTED.")
        List<String> rejectionReasons,
        @Schema(description = "When the request arrived, epoch milliseconds.") long receivedAtMs,
        @Schema(description = "When this status last changed, epoch milliseconds.") long updatedAtMs,
        @Schema(description = "The promoted model and reports of a COMPLETED request; null before the search"
                + " stored them and for a REJECTED request.", nullable = true)
        PromotedFiles promoted) {

    public RequestStatus {
        rejectionReasons = rejectionReasons == null ? List.of() : List.copyOf(rejectionReasons);
    }

    /** Returns whether the request reached its end. */
    public boolean finished() {
        return state == RequestState.COMPLETED || state == RequestState.REJECTED;
    }

    /** Returns this status with {@code files} as the promoted files. */
    RequestStatus withPromoted(PromotedFiles files, long nowMs) {
        return new RequestStatus(requestId, state, round, tasksDone, tasksTotal, trials, bestCandidateId, metric,
                bestMetric, bestAcceptable, report, rejectionReasons, receivedAtMs, nowMs, files);
    }
}
