package dev.quantfleet.coordinator.aggregation;

/** Outcome of one {@code TaskResult} in the aggregator: recorded, or the reason it was ignored. */
enum ResultVerdict {
    /** The first final result of a task of the open round; recorded. */
    ACCEPTED,
    /** The task already has a final result; a redelivery or a result of another attempt. */
    DUPLICATE,
    /** The result's round is not the request's current round. */
    OTHER_ROUND,
    /** The task id is not in the current round's plan. */
    UNKNOWN_TASK,
    /** The round already closed, for example after its tasks timed out. */
    ROUND_CLOSED,
    /** No round plan of the request was seen, or its closed round was deleted after the retention. */
    NO_PLAN,
    /** The request already has its outcome, so its state was deleted. */
    REQUEST_FINISHED
}
