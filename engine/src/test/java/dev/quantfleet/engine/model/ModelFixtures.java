package dev.quantfleet.engine.model;

import com.google.protobuf.ByteString;
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

import java.util.List;
import java.util.Random;

/** Builders for the tiny ONNX models that the engine tests create. */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    /** Builds a tensor value info. Each dim is a Long or Integer (dim_value) or a String (dim_param). */
    public static ValueInfoProto tensorInfo(String name, ElementType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            if (dim instanceof String param) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(param));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) dim).longValue()));
            }
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(shape)))
                .build();
    }

    /** Builds a tensor value info with an element type and no shape. */
    public static ValueInfoProto tensorInfoWithoutShape(String name, ElementType type) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.code())))
                .build();
    }

    public static NodeProto node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        return NodeProto.newBuilder()
                .setOpType(opType)
                .setName(opType.toLowerCase() + "_" + outputs.get(0))
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(List.of(attributes))
                .build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder builder = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            builder.addInts(value);
        }
        return builder.build();
    }

    public static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder builder = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.FLOATS);
        for (float value : values) {
            builder.addFloats(value);
        }
        return builder.build();
    }

    public static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto tensorAttribute(String name, TensorProto tensor) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(tensor).build();
    }

    public static AttributeProto graphAttribute(String name, GraphProto graph) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(graph).build();
    }

    public static ModelProto model(GraphProto graph, long irVersion, long opsetVersion) {
        return ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName("quantfleet-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opsetVersion))
                .setGraph(graph)
                .build();
    }

    public static float[] randomFloats(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
