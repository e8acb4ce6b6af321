package dev.quantfleet.common.messages;

/**
 * A payload that cannot be read as the expected message type: invalid JSON, a missing or
 * mistyped field, an invalid value or a schema version newer than this code reads. No record
 * is returned in that case, not even a partially filled one.
 */
public class WireFormatException extends RuntimeException {

    private final String messageType;

    public WireFormatException(String messageType, String problem, Throwable cause) {
        super("Invalid " + messageType + " payload: " + problem, cause);
        this.messageType = messageType;
    }

    /** The simple name of the record type that was expected, e.g. {@code Task}. */
    public String messageType() {
        return messageType;
    }
}
