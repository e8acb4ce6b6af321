package dev.quantfleet.engine.external;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacked npm tarballs kept in a cache folder, one subfolder per package, so that real models
 * are downloaded once per checkout. A complete download is marked by a {@value #MARKER} file
 * holding the package spec ({@code name@version}); a subfolder without it, or with another
 * spec, is deleted and downloaded again, so an interrupted download or a version change never
 * leaves stale files in use.
 *
 * <p>NOTE: two processes that fill the same subfolder at the same time can corrupt it; callers
 * in one JVM synchronize on the cache instance.
 */
public final class NpmPackageCache {

    /** Name of the file that marks a complete download. */
    public static final String MARKER = ".complete";

    private final Path root;
    private final Duration timeout;

    /**
     * @param root    cache folder, created on first download
     * @param timeout longest time one {@code npm pack} may take
     */
    public NpmPackageCache(Path root, Duration timeout) {
        this.root = root.toAbsolutePath();
        this.timeout = timeout;
    }

    public Path root() {
        return root;
    }

    /**
     * Returns the folder that {@code npmPackage} is unpacked in, {@code root/folderName},
     * downloading it with {@code npm pack} when the folder is not complete.
     *
     * @throws IOException when npm is missing, fails or times out (see {@link NpmPackage#download})
     */
    public synchronized Path fetch(NpmPackage npmPackage, String folderName) throws IOException, InterruptedException {
        Path folder = root.resolve(folderName);
        Path marker = folder.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(npmPackage.spec())) {
            return folder;
        }
        deleteRecursively(folder);
        npmPackage.downloadAndExtract(folder, timeout);
        Files.writeString(marker, npmPackage.spec(), StandardCharsets.UTF_8);
        return folder;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
