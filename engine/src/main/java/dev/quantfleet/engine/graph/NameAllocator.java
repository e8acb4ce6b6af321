package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out node and value names that collide with no name anywhere in a model: every value,
 * node, initializer, graph input and output and value_info in the main graph and in every
 * subgraph of {@code If}, {@code Loop} and {@code Scan}. Names derive only from the requested
 * base and the names already taken ({@code base}, then {@code base_1}, {@code base_2} ...), so
 * the same model and the same sequence of requests give the same names.
 */
public final class NameAllocator {

    private final Set<String> taken = new HashSet<>();

    private NameAllocator() {
    }

    /** Collects every name in {@code model}, subgraphs and functions included. */
    public static NameAllocator of(ModelProto model) {
        NameAllocator allocator = new NameAllocator();
        allocator.collect(model.getGraph());
        model.getFunctionsList().forEach(function -> function.getNodeList().forEach(allocator::collect));
        return allocator;
    }

    /** Returns {@code base} if no one uses it yet, else the first free {@code base_N}; either way the name is now taken. */
    public String allocate(String base) {
        String candidate = base;
        int suffix = 1;
        while (taken.contains(candidate) || candidate.isEmpty()) {
            candidate = base + "_" + suffix++;
        }
        taken.add(candidate);
        return candidate;
    }

    /** Marks a name as used, e.g. one written by an earlier rewrite step. */
    public void reserve(String name) {
        taken.add(name);
    }

    public boolean isTaken(String name) {
        return taken.contains(name);
    }

    private void collect(GraphProto graph) {
        graph.getInputList().forEach(this::collect);
        graph.getOutputList().forEach(this::collect);
        graph.getValueInfoList().forEach(this::collect);
        for (TensorProto initializer : graph.getInitializerList()) {
            taken.add(initializer.getName());
        }
        graph.getSparseInitializerList().forEach(sparse -> taken.add(sparse.getValues().getName()));
        graph.getNodeList().forEach(this::collect);
    }

    private void collect(ValueInfoProto valueInfo) {
        taken.add(valueInfo.getName());
    }

    private void collect(NodeProto node) {
        taken.add(node.getName());
        taken.addAll(node.getInputList());
        taken.addAll(node.getOutputList());
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.hasG()) {
                collect(attribute.getG());
            }
            attribute.getGraphsList().forEach(this::collect);
        }
    }
}
