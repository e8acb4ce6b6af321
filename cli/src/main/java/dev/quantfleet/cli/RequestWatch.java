package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.CoordinatorClient;
import dev.quantfleet.cli.fleet.EventsUnavailableException;
import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetStatus;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Follows a request until it is COMPLETED or REJECTED through the coordinator's server-sent events
 * ({@code GET /requests/{id}/events}), which deliver every status change as it happens.
 *
 * <ul>
 *   <li>A stream that ends before the request ended, or breaks, is opened again after a pause that
 *       doubles from {@value #FIRST_RECONNECT_DELAY_MS} ms up to {@value #MAX_RECONNECT_DELAY_MS} ms.
 *       The coordinator sends the current status first on every connection, so no end state is
 *       missed. The watch fails when no connection succeeds for {@link #RECONNECT_WINDOW}.</li>
 *   <li>A coordinator without the events endpoint gets one note, and its status is then polled
 *       every {@value #POLL_INTERVAL_MS} ms.</li>
 * </ul>
 *
 * <p>NOTE: a connection that stays open while the coordinator stops sending, for example behind a
 * proxy that keeps the client side open, is noticed only when TCP gives up on it, because the
 * coordinator sends no heartbeat between status changes.
 */
final class RequestWatch {

    /** Time between two polls without events: short against a round's duration, long against a request's round trip. */
    static final long POLL_INTERVAL_MS = 250;
    static final long FIRST_RECONNECT_DELAY_MS = 250;
    static final long MAX_RECONNECT_DELAY_MS = 4_000;
    /** Maximum time without a successful connection before the watch fails. */
    static final Duration RECONNECT_WINDOW = Duration.ofSeconds(30);

    private RequestWatch() {
    }

    /**
     * Shows each status of {@code requestId} until the request ends, and returns its last status.
     *
     * @param notes   receives one line for each lost stream and for the switch to polling
     * @param stopped returns true when the caller stopped the fleet under the watch, which ends the
     *                reconnecting at once
     * @throws FleetException when the coordinator stays unreachable or does not know the request
     */
    static FleetStatus awaitEnd(CoordinatorClient client, String requestId, FleetProgress progress,
                                Consumer<String> notes, BooleanSupplier stopped) {
        return awaitEnd(client, requestId, progress, notes, stopped, RECONNECT_WINDOW);
    }

    /** Works as the method above, but fails after {@code reconnectWindow} without a connection. */
    static FleetStatus awaitEnd(CoordinatorClient client, String requestId, FleetProgress progress,
                                Consumer<String> notes, BooleanSupplier stopped, Duration reconnectWindow) {
        FleetStatus status = client.status(requestId);
        progress.show(status);
        Reconnects reconnects = new Reconnects(reconnectWindow);
        while (!status.finished()) {
            try {
                FleetStatus last = client.streamStatus(requestId, received -> {
                    reconnects.connected();
                    progress.show(received);
                });
                if (last != null) {
                    status = last;
                } else if (reconnects.failedTooLong()) {
                    throw new FleetException("The event stream of request " + requestId + " from the coordinator at "
                            + client.baseUri() + " ended without a status on every connection for "
                            + reconnectWindow.toSeconds() + " s; check the coordinator's log");
                }
                if (!status.finished()) {
                    notes.accept("The event stream of request " + requestId + " ended before the request did;"
                            + " reconnecting");
                }
            } catch (EventsUnavailableException e) {
                notes.accept("The coordinator at " + client.baseUri() + " sends no events (" + e.getMessage()
                        + "); checking the status every " + POLL_INTERVAL_MS + " ms instead");
                return poll(client, requestId, progress);
            } catch (FleetException e) {
                if (stopped.getAsBoolean() || reconnects.failedTooLong()) {
                    throw e;
                }
                notes.accept("Lost the event stream of request " + requestId + " (" + e.getMessage()
                        + "); reconnecting in " + reconnects.delayMs() + " ms");
            }
            if (!status.finished()) {
                sleep(reconnects.delayMs(), requestId);
                reconnects.waited();
            }
        }
        return status;
    }

    /** Polls {@code requestId} and shows each status until the request ends, and returns its last status. */
    private static FleetStatus poll(CoordinatorClient client, String requestId, FleetProgress progress) {
        while (true) {
            FleetStatus status = client.status(requestId);
            progress.show(status);
            if (status.finished()) {
                return status;
            }
            sleep(POLL_INTERVAL_MS, requestId);
        }
    }

    /** The pause before the next connection, and since when connections fail. */
    private static final class Reconnects {
        private final Duration window;
        private long delayMs = FIRST_RECONNECT_DELAY_MS;
        private long failingSinceNanos = -1;

        Reconnects(Duration window) {
            this.window = window;
        }

        /** Records an event received: the connection works. */
        void connected() {
            delayMs = FIRST_RECONNECT_DELAY_MS;
            failingSinceNanos = -1;
        }

        /** Records a failed or broken connection; returns whether connections have failed for the whole window. */
        boolean failedTooLong() {
            long now = System.nanoTime();
            if (failingSinceNanos < 0) {
                failingSinceNanos = now;
            }
            return now - failingSinceNanos > window.toNanos();
        }

        long delayMs() {
            return delayMs;
        }

        /** Doubles the pause after it was waited, up to the maximum. */
        void waited() {
            delayMs = Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS);
        }
    }

    private static void sleep(long millis, String requestId) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("Interrupted while waiting for request " + requestId, e);
        }
    }
}
