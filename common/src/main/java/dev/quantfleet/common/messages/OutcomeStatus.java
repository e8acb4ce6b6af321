package dev.quantfleet.common.messages;

/** Whether a request was searched or rejected. */
public enum OutcomeStatus {
    /** The search ran; {@code acceptable} tells whether the winner meets the goal. */
    COMPLETED,
    /** The coordinator did not run the request; the rejection reasons give the cause. */
    REJECTED
}
