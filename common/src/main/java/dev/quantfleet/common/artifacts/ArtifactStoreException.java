package dev.quantfleet.common.artifacts;

/** A failed S3 or local file operation of the {@link ArtifactStore}. */
public final class ArtifactStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ArtifactStoreException(String message) {
        super(message);
    }
}
