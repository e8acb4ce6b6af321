package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.List;
import java.util.Random;

/** Builds small ONNX models for tests: one default-domain opset, inputs, outputs, initializers and nodes. */
final class ModelBuilder {

    private final int opset;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");

    ModelBuilder(int opset) {
        this.opset = opset;
    }

    /** Adds a graph input; a negative dim becomes a symbolic dimension. */
    ModelBuilder input(String name, ElementType type, long... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    ModelBuilder output(String name, ElementType type, long... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    ModelBuilder initializer(TensorProto tensor) {
        graph.addInitializer(tensor);
        return this;
    }

    ModelBuilder floats(String name, long[] dims, float[] values) {
        return initializer(TensorCodec.fromFloats(name, dims, values));
    }

    ModelBuilder longs(String name, long[] dims, ElementType type, long... values) {
        return initializer(TensorCodec.fromLongs(name, dims, type, values));
    }

    ModelBuilder node(String opType, String name, List<String> inputs, List<String> outputs,
                      AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs)
                .addAllOutput(outputs).addAllAttribute(List.of(attributes)));
        return this;
    }

    ModelBuilder node(NodeProto node) {
        graph.addNode(node);
        return this;
    }

    GraphProto.Builder graph() {
        return graph;
    }

    ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(opset >= 21 ? 10 : 8).setProducerName("quantfleet-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder builder = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            builder.addInts(value);
        }
        return builder.build();
    }

    static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto tensorAttribute(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    static AttributeProto graphAttribute(String name, GraphProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(value).build();
    }

    static ValueInfoProto valueInfo(String name, ElementType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("d" + i));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
            }
        }
        TypeProto.Tensor.Builder tensorType = TypeProto.Tensor.newBuilder().setElemType(type.code());
        if (dims.length > 0 || type != ElementType.UNDEFINED) {
            tensorType.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
    }

    /** Values drawn uniformly from [-scale, scale] by a seeded generator. */
    static float[] randomFloats(Random random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return values;
    }
}
