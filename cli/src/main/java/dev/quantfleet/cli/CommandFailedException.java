package dev.quantfleet.cli;

/**
 * A step failed for a reason outside the user's input, such as an unreachable registry. The
 * message names what failed and what to check; the command exits with 1 without a stack trace.
 */
public final class CommandFailedException extends RuntimeException {

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
