package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.artifacts.ArtifactRef;

import java.nio.file.Path;

/**
 * Downloads an artifact to a file, checking its size and SHA-256 against the reference;
 * {@code ArtifactStore::download} is one.
 */
@FunctionalInterface
public interface ArtifactSource {

    /**
     * Writes the artifact of {@code ref} to {@code target}, replacing it.
     *
     * @throws RuntimeException if the download fails or the bytes do not match {@code ref}
     */
    void download(ArtifactRef ref, Path target);
}
