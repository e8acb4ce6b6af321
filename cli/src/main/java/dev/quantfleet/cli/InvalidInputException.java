package dev.quantfleet.cli;

/**
 * A file or value the user passed cannot be used: a missing file, an invalid model or
 * configuration. The message names the value and the fix; the command exits with 2.
 */
public final class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
