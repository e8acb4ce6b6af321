package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.coordinator.promotion.PromotedArtifacts;
import dev.quantfleet.engine.search.CandidateResult;

/**
 * Progress of the searches, for status views. Called on the coordinator's thread; implementations
 * return quickly and do not throw.
 */
public interface SearchListener {

    SearchListener NONE = new SearchListener() {
    };

    default void onReceived(String requestId, long receivedAtMs) {
    }

    default void onStarted(String requestId) {
    }

    default void onRoundOpened(RoundOpened plan) {
    }

    default void onResult(TaskResult result) {
    }

    /**
     * @param best       the best candidate so far, or null when none was evaluated OK
     * @param acceptable whether {@code best} meets the goal
     * @param trials     EVALUATE and SENSITIVITY tasks run so far
     */
    default void onRoundClosed(String requestId, int round, String metric, CandidateResult best, boolean acceptable,
                               int trials) {
    }

    /** Called when promotion stored the result of {@code requestId}, just before its COMPLETED outcome goes out. */
    default void onPromoted(String requestId, PromotedArtifacts promoted) {
    }

    default void onOutcome(SearchOutcome outcome) {
    }
}
