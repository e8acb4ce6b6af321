package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/** Structural queries over one graph of a quantized model, for assertions. */
final class GraphQueries {

    private final GraphProto graph;

    GraphQueries(GraphProto graph) {
        this.graph = graph;
    }

    static GraphQueries of(ModelProto model) {
        return new GraphQueries(model.getGraph());
    }

    List<NodeProto> nodes(String opType) {
        return graph.getNodeList().stream().filter(node -> node.getOpType().equals(opType)).toList();
    }

    NodeProto node(String name) {
        return graph.getNodeList().stream().filter(node -> node.getName().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No node named '" + name + "'"));
    }

    NodeProto producer(String value) {
        return graph.getNodeList().stream().filter(node -> node.getOutputList().contains(value)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No node produces '" + value + "'"));
    }

    List<NodeProto> consumers(String value) {
        return graph.getNodeList().stream().filter(node -> node.getInputList().contains(value)).toList();
    }

    /** Returns the DequantizeLinear that produces input {@code inputIndex} of {@code node}. */
    NodeProto dequantizerOf(NodeProto node, int inputIndex) {
        NodeProto producer = producer(node.getInput(inputIndex));
        if (!producer.getOpType().equals("DequantizeLinear")) {
            throw new AssertionError("Input " + inputIndex + " of " + node.getName() + " comes from "
                    + producer.getOpType() + " '" + producer.getName() + "', not from DequantizeLinear");
        }
        return producer;
    }

    boolean hasInitializer(String name) {
        return graph.getInitializerList().stream().anyMatch(tensor -> tensor.getName().equals(name));
    }

    TensorProto initializer(String name) {
        return graph.getInitializerList().stream().filter(tensor -> tensor.getName().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No initializer named '" + name + "'"));
    }

    ElementType initializerType(String name) {
        return ElementType.fromCode(initializer(name).getDataType());
    }

    float[] floats(String initializer) {
        return TensorCodec.toFloats(initializer(initializer));
    }

    long[] longs(String initializer) {
        return TensorCodec.toLongs(initializer(initializer));
    }

    static OptionalLong intAttribute(NodeProto node, String name) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return OptionalLong.of(attribute.getI());
            }
        }
        return OptionalLong.empty();
    }

    static GraphProto graphAttribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(attribute -> attribute.getName().equals(name)).findFirst()
                .orElseThrow().getG();
    }
}
