package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quantfleet.engine.search.StopReason;

import java.util.List;

/**
 * The final record of a request, sent on {@code quantfleet.outcomes} with the request id as key:
 * the result of the search, or the rejection of a request the coordinator did not run, so that
 * no request stays pending. It is the wire form of the engine's
 * {@code dev.quantfleet.engine.search.SearchOutcome}, reduced to what a consumer acts on. The
 * full record of the search is the report at {@code report}.
 *
 * @param schemaVersion    {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param requestId        the request
 * @param status           COMPLETED or REJECTED
 * @param rejectionReasons why the request was rejected, each with its fix; empty unless REJECTED
 * @param acceptable       whether the winner meets the goal; false when REJECTED or without a winner
 * @param winner           the best acceptable candidate, or the best by metric when none is;
 *                         null when REJECTED or when no candidate was evaluated OK
 * @param paretoFront      candidate ids of the Pareto front over metric, size and latency
 * @param quantizedModel   the winner's quantized model; null when there is no winner or it was not stored
 * @param report           the {@code report.json} of the search; null when REJECTED
 * @param stopReason       why the search stopped; null exactly when REJECTED
 * @param trials           EVALUATE and SENSITIVITY tasks run, 0 or more
 * @param wallTimeMs       wall time of the search in milliseconds, 0 or more
 */
public record SearchOutcome(@JsonProperty(required = true) int schemaVersion,
                            @JsonProperty(required = true) String requestId,
                            @JsonProperty(required = true) OutcomeStatus status,
                            List<String> rejectionReasons,
                            boolean acceptable,
                            OutcomeWinner winner,
                            List<String> paretoFront,
                            ArtifactRef quantizedModel,
                            ArtifactRef report,
                            StopReason stopReason,
                            int trials,
                            long wallTimeMs) implements WireMessage {

    public SearchOutcome {
        WireChecks.checkSchemaVersion(schemaVersion, "SearchOutcome");
        WireIds.checkRequestId(requestId);
        WireChecks.required(status, "status");
        rejectionReasons = WireChecks.listOrEmpty(rejectionReasons, "rejectionReasons");
        paretoFront = WireChecks.listOrEmpty(paretoFront, "paretoFront");
        WireChecks.atLeast(trials, 0, "trials");
        WireChecks.atLeast(wallTimeMs, 0, "wallTimeMs");
        if (status == OutcomeStatus.REJECTED) {
            checkRejected(rejectionReasons, acceptable, winner, paretoFront, quantizedModel, report, stopReason);
        } else {
            checkCompleted(rejectionReasons, acceptable, winner, quantizedModel, stopReason);
        }
    }

    /** Returns the outcome of a request that the coordinator rejected for {@code reasons}. */
    public static SearchOutcome rejected(String requestId, List<String> reasons) {
        return new SearchOutcome(WireMessage.CURRENT_SCHEMA_VERSION, requestId, OutcomeStatus.REJECTED, reasons,
                false, null, List.of(), null, null, null, 0, 0);
    }

    private static void checkRejected(List<String> reasons, boolean acceptable, OutcomeWinner winner,
                                      List<String> paretoFront, ArtifactRef quantizedModel,
                                      ArtifactRef report, StopReason stopReason) {
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("Invalid outcome: rejectionReasons is empty, but a REJECTED outcome "
                    + "needs at least one reason");
        }
        if (acceptable || winner != null || !paretoFront.isEmpty() || quantizedModel != null || report != null
                || stopReason != null) {
            throw new IllegalArgumentException("A REJECTED outcome has no search result; remove acceptable, winner,"
                    + " paretoFront, quantizedModel, report and stopReason");
        }
    }

    private static void checkCompleted(List<String> reasons, boolean acceptable, OutcomeWinner winner,
                                       ArtifactRef quantizedModel, StopReason stopReason) {
        if (!reasons.isEmpty()) {
            throw new IllegalArgumentException("rejectionReasons " + reasons + " given for a COMPLETED outcome;"
                    + " remove them or set status REJECTED");
        }
        if (stopReason == null) {
            throw new IllegalArgumentException("Invalid outcome: stopReason is missing, but a COMPLETED outcome needs "
                    + "the reason the search stopped");
        }
        if (winner == null && (acceptable || quantizedModel != null)) {
            throw new IllegalArgumentException("An outcome without a winner can be neither acceptable"
                    + " nor have a quantized model");
        }
    }
}
