package dev.quantfleet.engine.testing;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A chain of {@value #LAYERS} MatMul + Relu layers in which exactly one node,
 * {@value #SENSITIVE_NODE}, cannot be quantized: {@code /layer.1/MatMul} writes one channel about
 * {@value #OUTLIER_GAIN} times larger than the others, and {@code /layer.2/MatMul} reads that channel
 * through a weight row {@value #OUTLIER_GAIN} times smaller. In float the outlier contributes as
 * much as any other channel. Quantizing the input of {@code /layer.2/MatMul} gives it one scale for the whole
 * tensor, wide enough for the outlier, so every other channel rounds to zero, with 8-bit and
 * with 16-bit activations alike. Keeping that one node in float restores the output.
 *
 * <pre>
 *   x ─ /layer.0/MatMul ─ Relu ─ /layer.1/MatMul ─ Relu ─ /layer.2/MatMul ─ Relu ─ /layer.3/MatMul ─ y
 *                                 (outlier channel out)    (reads it: the sensitive node)
 * </pre>
 */
public final class SensitiveChainModel {

    public static final int LAYERS = 4;
    public static final int WIDTH = 32;
    public static final String SENSITIVE_NODE = "/layer.2/MatMul";
    public static final float OUTLIER_GAIN = 1e6f;

    private SensitiveChainModel() {
    }

    /** Builds the model; {@code seed} fixes the weights. */
    public static ModelProto build(long seed) {
        Random random = new Random(seed);
        GraphProto.Builder graph = GraphProto.newBuilder().setName("sensitive_chain")
                .addInput(TinyModels.tensor("x", ElementType.FLOAT, "batch", WIDTH));
        String input = "x";
        for (int layer = 0; layer < LAYERS; layer++) {
            float[] weights = gaussian(random, WIDTH * WIDTH, (float) (1.0 / Math.sqrt(WIDTH)));
            if (layer == 1) {
                scaleColumn(weights, 0, OUTLIER_GAIN);
            } else if (layer == 2) {
                scaleRow(weights, 0, 1 / OUTLIER_GAIN);
            }
            String prefix = "/layer." + layer + "/";
            String weightName = "layer" + layer + ".weight";
            graph.addInitializer(TensorCodec.fromFloats(weightName, new long[] {WIDTH, WIDTH}, weights));
            String product = prefix + "MatMul_output_0";
            graph.addNode(TinyModels.node("MatMul", prefix + "MatMul", new String[] {input, weightName}, product));
            if (layer == LAYERS - 1) {
                input = product;
            } else {
                input = prefix + "Relu_output_0";
                graph.addNode(TinyModels.node("Relu", prefix + "Relu", new String[] {product}, input));
            }
        }
        graph.addNode(TinyModels.node("Identity", "/output/Identity", new String[] {input}, "y"));
        graph.addOutput(TinyModels.tensor("y", ElementType.FLOAT, "batch", WIDTH));
        return TinyModels.model(graph.build());
    }

    /** Writes {@code count} inputs of shape [1, WIDTH] drawn from a standard normal distribution as one .npy file. */
    public static Path writeInputs(Path file, int count, long seed) throws IOException {
        float[] values = gaussian(new Random(seed), count * WIDTH, 1f);
        return NpyWriter.writeFloats(file, new long[] {count, 1, WIDTH}, values);
    }

    private static float[] gaussian(Random random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    private static void scaleColumn(float[] weights, int column, float factor) {
        for (int row = 0; row < WIDTH; row++) {
            weights[row * WIDTH + column] *= factor;
        }
    }

    private static void scaleRow(float[] weights, int row, float factor) {
        for (int column = 0; column < WIDTH; column++) {
            weights[row * WIDTH + column] *= factor;
        }
    }
}
