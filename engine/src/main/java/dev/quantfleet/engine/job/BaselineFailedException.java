package dev.quantfleet.engine.job;

/**
 * The float model could not be evaluated on the evaluation data, so no candidate can be compared
 * with it; the message gives the reason, which usually points at the data, the labels or the
 * metric.
 */
public final class BaselineFailedException extends RuntimeException {

    public BaselineFailedException(String message) {
        super(message);
    }
}
