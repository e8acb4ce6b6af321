package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.Sample;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings of all-MiniLM-L6-v2 as sentence-transformers defines them: the mean of
 * {@code last_hidden_state} over the tokens whose attention mask is 1, L2-normalized.
 */
public final class SentenceEmbeddings {

    static final String HIDDEN_STATE_OUTPUT = "last_hidden_state";
    static final String ATTENTION_MASK_INPUT = "attention_mask";

    private SentenceEmbeddings() {
    }

    /** Runs every sample through {@code session}, one at a time, and returns one embedding per sample. */
    public static List<float[]> embed(OrtSession session, List<Sample> samples) throws OrtException {
        List<float[]> embeddings = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            Map<String, OnnxTensor> inputs = SampleFeeds.toOnnxTensors(sample);
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(HIDDEN_STATE_OUTPUT).orElseThrow(() ->
                        new IllegalStateException("Model returned no output '" + HIDDEN_STATE_OUTPUT + "'"));
                LongBuffer mask = (LongBuffer) sample.input(ATTENTION_MASK_INPUT).values();
                embeddings.add(meanPool(hidden.getFloatBuffer(), hidden.getInfo().getShape(), mask));
            } finally {
                SampleFeeds.close(inputs);
            }
        }
        return embeddings;
    }

    /** Mask-weighted mean of the token states {@code hidden} of shape [1, tokens, width], L2-normalized. */
    static float[] meanPool(FloatBuffer hidden, long[] shape, LongBuffer mask) {
        int tokens = (int) shape[1];
        int width = (int) shape[2];
        double[] sum = new double[width];
        long maskedTokens = 0;
        for (int token = 0; token < tokens; token++) {
            if (mask.get(token) == 0) {
                continue;
            }
            maskedTokens++;
            for (int d = 0; d < width; d++) {
                sum[d] += hidden.get(token * width + d);
            }
        }
        double squares = 0;
        for (int d = 0; d < width; d++) {
            sum[d] /= Math.max(maskedTokens, 1);
            squares += sum[d] * sum[d];
        }
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        float[] embedding = new float[width];
        for (int d = 0; d < width; d++) {
            embedding[d] = (float) (sum[d] / norm);
        }
        return embedding;
    }

    /** Mean over pairs of the cosine similarity of {@code reference.get(i)} and {@code candidate.get(i)}. */
    public static double meanCosine(List<float[]> reference, List<float[]> candidate) {
        if (reference.size() != candidate.size() || reference.isEmpty()) {
            throw new IllegalArgumentException("Need two equally long, non-empty lists of embeddings; got "
                    + reference.size() + " and " + candidate.size());
        }
        double total = 0;
        for (int i = 0; i < reference.size(); i++) {
            total += cosine(reference.get(i), candidate.get(i));
        }
        return total / reference.size();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double squaresA = 0;
        double squaresB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            squaresA += (double) a[i] * a[i];
            squaresB += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(squaresA * squaresB);
    }
}
