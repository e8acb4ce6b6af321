package dev.quantfleet.fleet;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A generated chain of {@value #LAYERS} MatMul layers of width {@value #WIDTH} with Relu between
 * them, opset 17, weights drawn from a seeded normal distribution. Layer 1 sends one channel
 * through a weight {@value #OUTLIER_GAIN} times larger and layer 2 reads it back through a weight
 * as much smaller, so the input of {@code /layer.2/MatMul} quantized with one scale loses every
 * other channel: that node must stay in float, and the search needs several rounds to find it.
 *
 * <pre>
 *   x ─ MatMul ─ Relu ─ MatMul ─ Relu ─ MatMul ─ Relu ─ MatMul ─ Identity ─ y
 *       layer.0         layer.1         layer.2         layer.3
 * </pre>
 */
final class ChainModel {

    static final int LAYERS = 4;
    static final int WIDTH = 16;
    static final float OUTLIER_GAIN = 1e5f;

    private ChainModel() {
    }

    static ModelProto build(long seed) {
        Random random = new Random(seed);
        GraphProto.Builder graph = GraphProto.newBuilder().setName("chain").addInput(tensor("x"));
        String input = "x";
        for (int layer = 0; layer < LAYERS; layer++) {
            float[] weights = gaussian(random, WIDTH * WIDTH, (float) (1 / Math.sqrt(WIDTH)));
            if (layer == 1) {
                for (int row = 0; row < WIDTH; row++) {
                    weights[row * WIDTH] *= OUTLIER_GAIN;
                }
            } else if (layer == 2) {
                for (int column = 0; column < WIDTH; column++) {
                    weights[column] /= OUTLIER_GAIN;
                }
            }
            String weightName = "layer" + layer + ".weight";
            graph.addInitializer(TensorCodec.fromFloats(weightName, new long[] {WIDTH, WIDTH}, weights));
            String product = "/layer." + layer + "/MatMul_output_0";
            graph.addNode(node("MatMul", "/layer." + layer + "/MatMul", product, input, weightName));
            input = product;
            if (layer < LAYERS - 1) {
                String activated = "/layer." + layer + "/Relu_output_0";
                graph.addNode(node("Relu", "/layer." + layer + "/Relu", activated, product));
                input = activated;
            }
        }
        graph.addNode(node("Identity", "/output/Identity", "y", input));
        graph.addOutput(tensor("y"));
        return ModelProto.newBuilder().setIrVersion(10).setProducerName("quantfleet-fleet-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    /**
     * Returns {@code model} with the width of its output declared as the symbolic dimension
     * {@code features} instead of {@value #WIDTH}, so that only running the model shows the width.
     */
    static ModelProto withSymbolicOutputWidth(ModelProto model) {
        ModelProto.Builder builder = model.toBuilder();
        builder.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .setDim(1, TensorShapeProto.Dimension.newBuilder().setDimParam("features"));
        return builder.build();
    }

    /** Writes {@code count} samples of shape [1, width] from a standard normal distribution as one .npy file. */
    static Path writeInputs(Path file, int count, int width, long seed) throws IOException {
        return NpyWriter.writeFloats(file, new long[] {count, 1, width}, gaussian(new Random(seed), count * width, 1));
    }

    /** Writes samples as {@link #writeInputs} does, with a NaN in element 3 of sample {@code nanSample}. */
    static Path writeInputsWithNan(Path file, int count, long seed, int nanSample) throws IOException {
        float[] values = gaussian(new Random(seed), count * WIDTH, 1);
        values[nanSample * WIDTH + 3] = Float.NaN;
        return NpyWriter.writeFloats(file, new long[] {count, 1, WIDTH}, values);
    }

    private static float[] gaussian(Random random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    private static NodeProto node(String opType, String name, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.build();
    }

    private static ValueInfoProto tensor(String name) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(WIDTH)).build();
        TypeProto.Tensor type = TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()).setShape(shape)
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
