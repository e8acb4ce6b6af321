package dev.quantfleet.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders the benchmarks write to, all under the benchmarks module's {@code target/}, so that
 * {@code ./mvnw clean} removes them and git ignores them. The base folder is the system property
 * {@value #TARGET_PROPERTY} (set by {@code benchmarks/run}); without it, {@code benchmarks/target}
 * when the working directory is the repository root, and {@code target} otherwise.
 */
public final class BenchmarkFolders {

    /** System property naming the benchmarks module's build folder. */
    public static final String TARGET_PROPERTY = "quantfleet.benchmarks.target";

    /** System property naming the repository root, where the {@code quantfleet} script is. */
    public static final String HOME_PROPERTY = "quantfleet.home";

    private BenchmarkFolders() {
    }

    /** Folder of the Markdown result files, created on first use. */
    public static Path results() {
        return created(target().resolve("benchmark-results"));
    }

    /**
     * Folder of the files a benchmark needs along the way: the extracted MiniLM files, text
     * files, quantized and ONNX Runtime-optimized models, profiles. Created on first use.
     */
    public static Path work() {
        return created(target().resolve("benchmark-work"));
    }

    /**
     * Returns the repository root: the system property {@value #HOME_PROPERTY} (set by
     * {@code benchmarks/run}), else the parent of the benchmarks module's folder.
     */
    public static Path repositoryRoot() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return target().getParent().getParent();
    }

    private static Path target() {
        String configured = System.getProperty(TARGET_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path fromRoot = Path.of("benchmarks");
        if (Files.isRegularFile(fromRoot.resolve("pom.xml"))) {
            return fromRoot.resolve("target").toAbsolutePath();
        }
        return Path.of("target").toAbsolutePath();
    }

    private static Path created(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create the benchmark folder " + folder, e);
        }
    }
}
