package dev.quantfleet.engine.testing;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

/** Builds tiny ONNX models for tests with the protobuf builders. */
public final class TinyModels {

    public static final int OPSET = 17;

    private TinyModels() {
    }

    /**
     * {@code y = Relu(x · W)} with {@code x: float [batch, rows]}, {@code W: float [rows, columns]}
     * as an initializer and the MatMul output named {@code h}.
     */
    public static ModelProto matMulRelu(float[] weights, int rows, int columns) {
        GraphProto graph = GraphProto.newBuilder()
                .setName("matmul_relu")
                .addInput(tensor("x", ElementType.FLOAT, "batch", rows))
                .addInitializer(TensorCodec.fromFloats("W", new long[] {rows, columns}, weights))
                .addNode(node("MatMul", "matmul", new String[] {"x", "W"}, "h"))
                .addNode(node("Relu", "relu", new String[] {"h"}, "y"))
                .addOutput(tensor("y", ElementType.FLOAT, "batch", columns))
                .build();
        return model(graph);
    }

    /**
     * {@code y = x · W · W · ... · W} with {@code nodes} MatMul nodes that share one initializer
     * {@code W: float [width, width]} of seeded Gaussian values scaled by {@code 1 / sqrt(width)},
     * and {@code x: float [batch, width]}. Its run time grows with {@code nodes}, for tests that
     * need a slow run.
     */
    public static ModelProto matMulChain(int width, int nodes, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] weights = new float[width * width];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() / Math.sqrt(width));
        }
        GraphProto.Builder graph = GraphProto.newBuilder()
                .setName("matmul_chain")
                .addInput(tensor("x", ElementType.FLOAT, "batch", width))
                .addInitializer(TensorCodec.fromFloats("W", new long[] {width, width}, weights));
        String previous = "x";
        for (int node = 0; node < nodes; node++) {
            String output = node == nodes - 1 ? "y" : "h" + node;
            graph.addNode(node("MatMul", "matmul" + node, new String[] {previous, "W"}, output));
            previous = output;
        }
        return model(graph.addOutput(tensor("y", ElementType.FLOAT, "batch", width)).build());
    }

    /** Wraps a graph in a model of IR version 10 with the default opset {@value #OPSET}. */
    public static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder()
                .setIrVersion(10)
                .setProducerName("quantfleet-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    public static NodeProto node(String opType, String name, String[] inputs, String... outputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name);
        for (String input : inputs) {
            node.addInput(input);
        }
        for (String output : outputs) {
            node.addOutput(output);
        }
        return node.build();
    }

    /** Builds a tensor value info; each dim is a Long (fixed), a String (symbolic) or null (unknown). */
    public static ValueInfoProto tensor(String name, ElementType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder dimension = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Number size) {
                dimension.setDimValue(size.longValue());
            } else if (dim instanceof String parameter) {
                dimension.setDimParam(parameter);
            }
            shape.addDim(dimension);
        }
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
    }
}
