package dev.quantfleet.localstack;

/** A local Kafka broker or S3 server that failed to start, become ready or stop. */
public final class LocalStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
