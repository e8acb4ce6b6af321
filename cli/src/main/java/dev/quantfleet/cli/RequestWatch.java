package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.CoordinatorClient;
import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetStatus;

/** Polls a request's status until it is COMPLETED or REJECTED. */
final class RequestWatch {

    /** Time between two polls: short against a round's duration, long against a request's round trip. */
    static final long POLL_INTERVAL_MS = 250;

    private RequestWatch() {
    }

    /**
     * Polls {@code requestId} and shows each status until the request ends, and returns its last status.
     *
     * @throws FleetException when the coordinator stops responding or does not know the request
     */
    static FleetStatus awaitEnd(CoordinatorClient client, String requestId, FleetProgress progress) {
        while (true) {
            FleetStatus status = client.status(requestId);
            progress.show(status);
            if (status.finished()) {
                return status;
            }
            try {
                Thread.sleep(POLL_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FleetException("Interrupted while waiting for request " + requestId, e);
            }
        }
    }
}
