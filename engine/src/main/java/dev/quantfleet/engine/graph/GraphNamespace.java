package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.SparseTensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.util.Map;

/**
 * Copies a graph into a namespace: every node name and value name gets a prefix, so that
 * several models can be placed side by side in one graph without their names colliding. Used
 * to chain models into one pipeline model.
 *
 * <p>Renamed: node names, node inputs and outputs, initializers, sparse initializers, graph
 * inputs, outputs and value_info, and the graph's own name, in the graph and in every subgraph
 * of {@code If}, {@code Loop} and {@code Scan} (attributes of type GRAPH and GRAPHS), with the
 * same rule everywhere, so that a subgraph's reads of outer-scope values still resolve. Empty
 * names (an omitted optional input, an unnamed node) stay empty. A name listed in the explicit
 * renames gets the listed name instead of the prefixed one, so a pipeline can connect one
 * model's output to the next model's input.
 *
 * <pre>
 *   before (prefix "head/", renames {x.1: embeddings})     after
 *
 *   x.1 ──► Flatten "Flatten_0" ──► input ──► Gemm ...     embeddings ──► Flatten "head/Flatten_0"
 *                                                              ──► head/input ──► Gemm ...
 *   If "If_9" then_branch reads x.1                        If "head/If_9" then_branch reads embeddings
 * </pre>
 *
 * <p>NOTE: the copy keeps model-local functions' names unchanged: nodes that call a function
 * keep their op type and domain, so functions must be merged by the caller.
 */
public final class GraphNamespace {

    private final String prefix;
    private final Map<String, String> renames;

    /**
     * @param prefix  added in front of every non-empty name, e.g. {@code mel/}
     * @param renames names that get the given name instead of the prefixed one
     */
    public GraphNamespace(String prefix, Map<String, String> renames) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("The namespace prefix is empty; give a prefix such as 'mel/'");
        }
        this.prefix = prefix;
        this.renames = Map.copyOf(renames);
    }

    /** Returns the name that {@code name} gets in this namespace; empty stays empty. */
    public String rename(String name) {
        if (name.isEmpty()) {
            return name;
        }
        String explicit = renames.get(name);
        return explicit != null ? explicit : prefix + name;
    }

    /** Returns a copy of {@code graph}, subgraphs included, with every name renamed as the class comment describes. */
    public GraphProto copy(GraphProto graph) {
        GraphProto.Builder copy = graph.toBuilder()
                .setName(rename(graph.getName()))
                .clearNode().clearInitializer().clearSparseInitializer()
                .clearInput().clearOutput().clearValueInfo();
        graph.getNodeList().forEach(node -> copy.addNode(copyNode(node)));
        graph.getInitializerList().forEach(tensor -> copy.addInitializer(copyTensor(tensor)));
        for (SparseTensorProto sparse : graph.getSparseInitializerList()) {
            copy.addSparseInitializer(sparse.toBuilder().setValues(copyTensor(sparse.getValues()))
                    .setIndices(copyTensor(sparse.getIndices())));
        }
        graph.getInputList().forEach(value -> copy.addInput(copyValueInfo(value)));
        graph.getOutputList().forEach(value -> copy.addOutput(copyValueInfo(value)));
        graph.getValueInfoList().forEach(value -> copy.addValueInfo(copyValueInfo(value)));
        return copy.build();
    }

    private NodeProto copyNode(NodeProto node) {
        NodeProto.Builder copy = node.toBuilder().setName(rename(node.getName())).clearInput().clearOutput()
                .clearAttribute();
        node.getInputList().forEach(input -> copy.addInput(rename(input)));
        node.getOutputList().forEach(output -> copy.addOutput(rename(output)));
        for (AttributeProto attribute : node.getAttributeList()) {
            AttributeProto.Builder attributeCopy = attribute.toBuilder();
            if (attribute.hasG()) {
                attributeCopy.setG(copy(attribute.getG()));
            }
            attributeCopy.clearGraphs();
            attribute.getGraphsList().forEach(subgraph -> attributeCopy.addGraphs(copy(subgraph)));
            copy.addAttribute(attributeCopy);
        }
        return copy.build();
    }

    private TensorProto copyTensor(TensorProto tensor) {
        return tensor.toBuilder().setName(rename(tensor.getName())).build();
    }

    private ValueInfoProto copyValueInfo(ValueInfoProto value) {
        return value.toBuilder().setName(rename(value.getName())).build();
    }
}
