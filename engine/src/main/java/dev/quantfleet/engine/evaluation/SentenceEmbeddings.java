package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;

import java.nio.Buffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Sentence embeddings from a model's first float output, as sentence-transformers models are
 * used: an output of shape {@code [1, tokens, dim]} is averaged over the tokens, each weighted by
 * the sample's {@code attention_mask} input (all tokens weigh 1 when the sample has no such
 * input); an output of shape {@code [1, dim]} is used as it is. The result is scaled to unit L2
 * norm, except an all-zero vector, which stays zero.
 */
final class SentenceEmbeddings {

    static final String ATTENTION_MASK = "attention_mask";

    private SentenceEmbeddings() {
    }

    /**
     * Returns the unit-length embedding of one sample.
     *
     * @throws IllegalArgumentException if the output has another shape, or the mask does not match the tokens
     */
    static double[] embed(EvaluatedSample evaluated) {
        OutputTensor output = evaluated.firstOutput();
        long[] shape = output.shape();
        double[] embedding;
        if (shape.length == 2 && shape[0] == 1) {
            embedding = toDoubles(output.values());
        } else if (shape.length == 3 && shape[0] == 1) {
            embedding = meanOverTokens(output, tokenWeights(evaluated.sample(), (int) shape[1]));
        } else {
            throw new IllegalArgumentException("Embedding metrics need a first float output of shape [1, tokens, dim] "
                    + "or [1, dim], but " + evaluated.sample().origin() + " gave " + output.describe());
        }
        return normalized(embedding);
    }

    private static double[] meanOverTokens(OutputTensor output, double[] weights) {
        int dim = output.lastAxisSize();
        float[] values = output.values();
        double[] sum = new double[dim];
        double weightSum = 0;
        for (int token = 0; token < weights.length; token++) {
            if (weights[token] == 0) {
                continue;
            }
            for (int index = 0; index < dim; index++) {
                sum[index] += weights[token] * values[token * dim + index];
            }
            weightSum += weights[token];
        }
        if (weightSum > 0) {
            for (int index = 0; index < dim; index++) {
                sum[index] /= weightSum;
            }
        }
        return sum;
    }

    private static double[] tokenWeights(Sample sample, int tokens) {
        double[] weights = new double[tokens];
        TensorValue mask = sample.inputs().get(ATTENTION_MASK);
        if (mask == null) {
            java.util.Arrays.fill(weights, 1);
            return weights;
        }
        if (mask.elementCount() != tokens) {
            throw new IllegalArgumentException("The attention_mask of " + sample.origin() + " is " + mask.describe()
                    + ", but the output has " + tokens + " tokens");
        }
        Buffer values = mask.values();
        for (int token = 0; token < tokens; token++) {
            if (values instanceof LongBuffer longs) {
                weights[token] = longs.get(token);
            } else if (values instanceof IntBuffer ints) {
                weights[token] = ints.get(token);
            } else {
                throw new IllegalArgumentException("The attention_mask of " + sample.origin() + " is "
                        + mask.describe() + "; it must be int64 or int32");
            }
        }
        return weights;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int index = 0; index < values.length; index++) {
            doubles[index] = values[index];
        }
        return doubles;
    }

    private static double[] normalized(double[] vector) {
        double squares = 0;
        for (double value : vector) {
            squares += value * value;
        }
        if (squares == 0) {
            return vector;
        }
        double norm = Math.sqrt(squares);
        for (int index = 0; index < vector.length; index++) {
            vector[index] /= norm;
        }
        return vector;
    }
}
