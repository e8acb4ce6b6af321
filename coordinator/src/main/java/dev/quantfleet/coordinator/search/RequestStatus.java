package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.artifacts.ArtifactRef;

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
 */
public record RequestStatus(String requestId, RequestState state, int round, int tasksDone, int tasksTotal,
                            int trials, String bestCandidateId, String metric, Double bestMetric,
                            boolean bestAcceptable, ArtifactRef report, List<String> rejectionReasons,
                            long receivedAtMs, long updatedAtMs) {

    public RequestStatus {
        rejectionReasons = rejectionReasons == null ? List.of() : List.copyOf(rejectionReasons);
    }

    /** Returns whether the request reached its end. */
    public boolean finished() {
        return state == RequestState.COMPLETED || state == RequestState.REJECTED;
    }
}
