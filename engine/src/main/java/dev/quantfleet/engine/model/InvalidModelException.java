package dev.quantfleet.engine.model;

import java.io.IOException;

/**
 * Thrown when a model file cannot be accepted: it exceeds a {@link ModelLimits} limit, does not
 * parse, or refers to external data that is missing, out of bounds or outside the model folder.
 * The message names the offending file, tensor or value and what to change.
 */
public class InvalidModelException extends IOException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
