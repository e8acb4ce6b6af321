package dev.quantfleet.common.artifacts;

/** An object whose bytes do not match the SHA-256 or size of its {@link ArtifactRef}. */
public final class ArtifactIntegrityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ArtifactIntegrityException(String message) {
        super(message);
    }
}
