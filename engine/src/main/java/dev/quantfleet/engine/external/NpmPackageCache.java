package dev.quantfleet.engine.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder of unpacked npm tarballs, one subfolder per package, downloaded with
 * {@link NpmPackage#downloadAndExtract} on first use. A complete download is marked by a
 * {@value #MARKER} file that contains the package spec, so an interrupted download is repeated
 * instead of reused, and a subfolder of another version is replaced.
 */
public final class NpmPackageCache {

    /** Name of the file that marks a complete download. */
    public static final String MARKER = ".complete";

    private final Path folder;

    /** Creates a cache in {@code folder}, which is created on the first download. */
    public NpmPackageCache(Path folder) {
        this.folder = folder.toAbsolutePath();
    }

    /**
     * Returns the folder that {@code npmPackage} is unpacked in, {@code <cache>/<cacheName>},
     * downloading it first unless a complete download of the same spec is there.
     *
     * @throws IOException when npm fails (see {@link NpmPackage#download}) or the folder cannot be written
     */
    public Path unpacked(NpmPackage npmPackage, String cacheName, Duration timeout)
            throws IOException, InterruptedException {
        Path directory = folder.resolve(cacheName);
        Path marker = directory.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).strip().equals(npmPackage.spec())) {
            return directory;
        }
        deleteRecursively(directory);
        npmPackage.downloadAndExtract(directory, timeout);
        Files.writeString(marker, npmPackage.spec());
        return directory;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
