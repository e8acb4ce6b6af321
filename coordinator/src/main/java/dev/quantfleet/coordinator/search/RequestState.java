package dev.quantfleet.coordinator.search;

/** The lifecycle state of a request. */
public enum RequestState {
    /** Received, not yet validated. */
    PENDING,
    /** Accepted; rounds are running. */
    RUNNING,
    /** The search finished and its outcome was sent. */
    COMPLETED,
    /** The request was rejected and its outcome was sent. */
    REJECTED
}
