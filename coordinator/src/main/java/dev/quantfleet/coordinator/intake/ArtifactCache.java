package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Local copies of artifacts, in {@code <root>/<folder>/<file name>}. A file that exists with the
 * reference's size is reused, because the store checks size and SHA-256 on every download, and a download
 * lands in a temporary file that is moved in place only when complete.
 *
 * <p>Not safe for two processes sharing one root; one coordinator owns its cache folder.
 */
public final class ArtifactCache {

    private final ArtifactStore store;
    private final Path root;

    public ArtifactCache(ArtifactStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    public ArtifactStore store() {
        return store;
    }

    /** Returns the folder below which every copy lies. */
    public Path root() {
        return root;
    }

    /**
     * Returns the local copy of {@code ref} as {@code <root>/<folder>/<fileName>}, downloading it
     * when missing.
     *
     * @param folder   folder below the root, e.g. the SHA-256 of the model that the file belongs to
     * @param fileName the name the file must have, e.g. the one the model's external data refers to
     */
    public Path fetch(ArtifactRef ref, String folder, String fileName) {
        Path directory = root.resolve(folder);
        Path target = directory.resolve(fileName);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == ref.sizeBytes()) {
                return target;
            }
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, fileName, ".partial");
            try {
                store.download(ref, partial);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to store " + ref.key() + " as " + target, e);
        }
    }

    /** Returns the last segment of {@code ref}'s key, the file name that the uploader gave it. */
    public static String fileNameOf(ArtifactRef ref) {
        String key = ref.key();
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
