package dev.quantfleet.cli.fleet;

/**
 * The coordinator has no server-sent events endpoint for request statuses, e.g. because it is an
 * older version; the caller polls {@code GET /requests/{id}} instead.
 */
public final class EventsUnavailableException extends RuntimeException {

    /** @param response what the coordinator responded, e.g. {@code GET /requests/r1/events responded with HTTP 404} */
    public EventsUnavailableException(String response) {
        super(response);
    }
}
