package dev.quantfleet.engine.data;

/**
 * Sample data that cannot be read or does not fit the model. The message names the file, the
 * offending value and what the model expects.
 */
public class InvalidDataException extends RuntimeException {

    public InvalidDataException(String message) {
        super(message);
    }

    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
