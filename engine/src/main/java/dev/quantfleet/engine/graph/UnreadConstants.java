package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Removes constants that a rewrite stopped reading. A candidate value that no node, subgraph or
 * graph output reads any more loses its initializer, or the Constant, Cast or Identity node that
 * computes it, and then that node's own inputs are checked in turn. Values that are not
 * candidates are never removed, and neither are initializers listed as graph inputs.
 */
final class UnreadConstants {

    private static final Set<String> CONSTANT_PRODUCERS = Set.of("Constant", "Cast", "Identity");

    private UnreadConstants() {
    }

    static GraphProto remove(GraphProto graph, Set<String> candidates) {
        Set<String> removedInitializers = new HashSet<>();
        Set<Integer> removedNodes = new HashSet<>();
        Set<String> graphInputs = new HashSet<>();
        graph.getInputList().forEach(input -> graphInputs.add(input.getName()));
        GraphView view = new GraphView(graph);

        Deque<String> pending = new ArrayDeque<>(candidates);
        Set<String> visited = new HashSet<>();
        while (!pending.isEmpty()) {
            String value = pending.pop();
            if (!visited.add(value) || !unread(view, value, removedNodes)) {
                continue;
            }
            if (view.initializer(value).isPresent()) {
                if (!graphInputs.contains(value)) {
                    removedInitializers.add(value);
                }
                continue;
            }
            Integer producer = view.producer(value).orElse(null);
            if (producer == null) {
                continue;
            }
            NodeProto node = view.node(producer);
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            if (defaultDomain && CONSTANT_PRODUCERS.contains(node.getOpType()) && node.getOutputCount() == 1) {
                removedNodes.add(producer);
                node.getInputList().stream().filter(input -> !input.isEmpty()).forEach(pending::push);
            }
        }

        GraphProto.Builder builder = graph.toBuilder().clearNode().clearInitializer();
        for (int index = 0; index < graph.getNodeCount(); index++) {
            if (!removedNodes.contains(index)) {
                builder.addNode(graph.getNode(index));
            }
        }
        for (TensorProto initializer : graph.getInitializerList()) {
            if (!removedInitializers.contains(initializer.getName())) {
                builder.addInitializer(initializer);
            }
        }
        return builder.build();
    }

    /** Returns whether only removed nodes read {@code value} and it is no graph output. */
    private static boolean unread(GraphView view, String value, Set<Integer> removedNodes) {
        if (view.isGraphOutput(value)) {
            return false;
        }
        return removedNodes.containsAll(view.consumers(value));
    }
}
