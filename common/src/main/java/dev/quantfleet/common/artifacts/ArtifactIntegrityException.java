package dev.quantfleet.common.artifacts;

/**
 * An object whose content is not the one it was referred to by: its bytes do not match the SHA-256
 * or size of its {@link ArtifactRef}, or its entity tag is not the one a bucket notification named.
 */
public final class ArtifactIntegrityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ArtifactIntegrityException(String message) {
        super(message);
    }
}
