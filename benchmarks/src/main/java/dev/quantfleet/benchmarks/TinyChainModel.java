package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.model.ModelIo;
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
 * A generated model whose tasks take milliseconds, so that a fleet run on it measures the fleet's
 * plumbing: two MatMul layers of width {@value #WIDTH} with a Relu between them, opset 17, weights
 * drawn from a seeded normal distribution.
 *
 * <pre>
 *   x [batch, 16] ─ MatMul ─ Relu ─ MatMul ─ y [batch, 16]
 *                   w0              w1
 * </pre>
 */
final class TinyChainModel {

    static final int WIDTH = 16;

    private TinyChainModel() {
    }

    /** Builds the model with weights from {@code seed} and saves it to {@code file}. */
    static Path writeModel(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        GraphProto graph = GraphProto.newBuilder().setName("tiny-chain")
                .addInput(floatTensor("x"))
                .addInitializer(TensorCodec.fromFloats("w0", new long[] {WIDTH, WIDTH}, gaussian(random, WIDTH * WIDTH)))
                .addInitializer(TensorCodec.fromFloats("w1", new long[] {WIDTH, WIDTH}, gaussian(random, WIDTH * WIDTH)))
                .addNode(node("MatMul", "/layer.0/MatMul", "h0", "x", "w0"))
                .addNode(node("Relu", "/layer.0/Relu", "a0", "h0"))
                .addNode(node("MatMul", "/layer.1/MatMul", "y", "a0", "w1"))
                .addOutput(floatTensor("y"))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(10).setProducerName("quantfleet-benchmarks")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
        ModelIo.save(model, file);
        return file;
    }

    /** Writes {@code count} samples of shape [1, {@value #WIDTH}] from a standard normal distribution as one .npy file. */
    static Path writeSamples(Path file, int count, long seed) throws IOException {
        return NpyWriter.writeFloats(file, new long[] {count, 1, WIDTH}, gaussian(new Random(seed), count * WIDTH));
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
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

    private static ValueInfoProto floatTensor(String name) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(WIDTH)).build();
        TypeProto.Tensor type = TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()).setShape(shape)
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
