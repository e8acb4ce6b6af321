package dev.quantfleet.cli;

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

/** Tiny ONNX models that the CLI tests write and then inspect or quantize. */
final class TinyModels {

    static final int INPUT_FEATURES = 8;
    static final int HIDDEN_FEATURES = 6;

    private TinyModels() {
    }

    /**
     * Writes {@code y = Relu(x · W + b)} with x of shape [batch, 8], W [8, 6] and b [6] drawn from
     * a seeded generator, opset 21, to {@code file}.
     */
    static Path writeMatMulAddRelu(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        GraphProto graph = GraphProto.newBuilder()
                .setName("matmul_add_relu")
                .addInput(floatInfo("x", "batch", INPUT_FEATURES))
                .addOutput(floatInfo("y", "batch", HIDDEN_FEATURES))
                .addInitializer(TensorCodec.fromFloats("W", new long[] {INPUT_FEATURES, HIDDEN_FEATURES},
                        gaussian(random, INPUT_FEATURES * HIDDEN_FEATURES)))
                .addInitializer(TensorCodec.fromFloats("b", new long[] {HIDDEN_FEATURES},
                        gaussian(random, HIDDEN_FEATURES)))
                .addNode(node("MatMul", "matmul", new String[] {"x", "W"}, "xw"))
                .addNode(node("Add", "add", new String[] {"xw", "b"}, "xwb"))
                .addNode(node("Relu", "relu", new String[] {"xwb"}, "y"))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(10)
                .setProducerName("quantfleet-cli-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .setGraph(graph)
                .build();
        ModelIo.save(model, file);
        return file;
    }

    /**
     * Writes {@code y = (x · s) · s} with x of shape [batch, 8] and the scalar s = 1e30, opset 21,
     * so that y is infinite wherever x is not 0.
     */
    static Path writeOverflowingMul(Path file) throws IOException {
        GraphProto graph = GraphProto.newBuilder()
                .setName("overflowing_mul")
                .addInput(floatInfo("x", "batch", INPUT_FEATURES))
                .addOutput(floatInfo("y", "batch", INPUT_FEATURES))
                .addInitializer(TensorCodec.fromFloats("s", new long[] {}, new float[] {1e30f}))
                .addNode(node("Mul", "scale_once", new String[] {"x", "s"}, "xs"))
                .addNode(node("Mul", "scale_twice", new String[] {"xs", "s"}, "y"))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(10)
                .setProducerName("quantfleet-cli-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .setGraph(graph)
                .build();
        ModelIo.save(model, file);
        return file;
    }

    /**
     * Writes {@code y = Relu(x)} with x and y of shape [batch, 3, 48, width], the layout of a
     * PaddleOCR text line recognizer's input, opset 21, to {@code file}.
     */
    static Path writeTextLineRelu(Path file) throws IOException {
        TypeProto lineType = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(ElementType.FLOAT.code())
                .setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(48))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("width"))))
                .build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("text_line_relu")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(lineType))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(lineType))
                .addNode(node("Relu", "relu", new String[] {"x"}, "y"))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(10)
                .setProducerName("quantfleet-cli-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .setGraph(graph)
                .build();
        ModelIo.save(model, file);
        return file;
    }

    private static NodeProto node(String opType, String name, String[] inputs, String output) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(name).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.build();
    }

    private static ValueInfoProto floatInfo(String name, String batchDim, int features) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batchDim))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(features))
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()).setShape(shape)))
                .build();
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
