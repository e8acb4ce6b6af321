package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.quantize.ops.ConstantTensor;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the float constants that quantization replaced once nothing reads them: their
 * initializers, and the Constant and Cast nodes that produced them. A value that is a graph
 * output, or that a subgraph still reads, counts as read and stays. Constants the quantizer did
 * not replace are never touched, even when unused.
 */
final class DeadConstantRemoval {

    record Outcome(GraphProto graph, int removedCount) {
    }

    private DeadConstantRemoval() {
    }

    /**
     * @param rewritten the graph after rewriting
     * @param replaced  constants that were quantized; their producer indices refer to {@code original}
     * @param original  the graph before rewriting
     */
    static Outcome remove(GraphProto rewritten, List<ConstantTensor> replaced, GraphProto original) {
        Set<String> initializerCandidates = new HashSet<>();
        Set<String> nodeCandidates = new HashSet<>();
        Set<String> originalInitializers = new HashSet<>();
        original.getInitializerList().forEach(tensor -> originalInitializers.add(tensor.getName()));
        for (ConstantTensor constant : replaced) {
            if (originalInitializers.contains(constant.value())) {
                initializerCandidates.add(constant.value());
            }
            for (int producer : constant.producerNodes()) {
                NodeProto node = original.getNode(producer);
                nodeCandidates.add(node.getOutput(0));
                node.getInputList().stream().filter(originalInitializers::contains).forEach(initializerCandidates::add);
            }
        }
        GraphProto graph = rewritten;
        int removed = 0;
        boolean changed = true;
        while (changed) {
            GraphView view = new GraphView(graph);
            GraphProto.Builder builder = graph.toBuilder().clearNode().clearInitializer();
            int before = removed;
            for (NodeProto node : graph.getNodeList()) {
                if (node.getOutputCount() > 0 && nodeCandidates.contains(node.getOutput(0)) && unread(view, node.getOutputList())) {
                    removed++;
                } else {
                    builder.addNode(node);
                }
            }
            for (TensorProto initializer : graph.getInitializerList()) {
                if (initializerCandidates.contains(initializer.getName()) && unread(view, List.of(initializer.getName()))
                        && graph.getInputList().stream().noneMatch(input -> input.getName().equals(initializer.getName()))) {
                    removed++;
                } else {
                    builder.addInitializer(initializer);
                }
            }
            graph = builder.build();
            changed = removed != before;
        }
        return new Outcome(graph, removed);
    }

    private static boolean unread(GraphView view, List<String> values) {
        for (String value : values) {
            if (!value.isEmpty() && (!view.consumers(value).isEmpty() || view.isGraphOutput(value))) {
                return false;
            }
        }
        return true;
    }
}
