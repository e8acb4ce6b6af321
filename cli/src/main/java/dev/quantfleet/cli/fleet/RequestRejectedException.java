package dev.quantfleet.cli.fleet;

import java.util.List;

/**
 * The coordinator rejected a request: {@code POST /requests} responded with 400, or the search ended
 * REJECTED after the artifact and data checks. The command line prints the reasons and exits
 * with 2, as for any other invalid input.
 */
public final class RequestRejectedException extends RuntimeException {

    private final String requestId;
    private final List<String> reasons;

    public RequestRejectedException(String requestId, List<String> reasons) {
        super("The coordinator rejected request " + requestId + ": " + String.join("; ", reasons));
        this.requestId = requestId;
        this.reasons = List.copyOf(reasons);
    }

    public String requestId() {
        return requestId;
    }

    /** Returns the coordinator's reasons, each with its fix. */
    public List<String> reasons() {
        return reasons;
    }
}
