package dev.quantfleet.cli.fleet;

/**
 * A failure of the fleet or of the connection to it: a service that did not start, a coordinator
 * that cannot be reached, an artifact that cannot be stored. The message names the value and the
 * fix; the command line prints it without a stack trace and exits with 1.
 */
public final class FleetException extends RuntimeException {

    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
