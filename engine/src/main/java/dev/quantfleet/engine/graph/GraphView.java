package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only index over one graph scope: for every value its producing node and its consuming
 * nodes, the initializers, the graph inputs and outputs, and a topological order. Nodes are
 * addressed by their index in {@code graph.node}, because real models have empty or repeated
 * node names. Values that a subgraph reads from this scope count as consumed by the node that
 * owns the subgraph, so a rewrite never removes a value that an {@code If}, {@code Loop} or
 * {@code Scan} body still needs.
 */
public final class GraphView {

    private final GraphProto graph;
    private final Map<String, Integer> producers = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, ValueInfoProto> valueInfos = new HashMap<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Set<String> graphOutputs = new HashSet<>();

    public GraphView(GraphProto graph) {
        this.graph = graph;
        for (TensorProto initializer : graph.getInitializerList()) {
            initializers.put(initializer.getName(), initializer);
        }
        for (ValueInfoProto input : graph.getInputList()) {
            graphInputs.add(input.getName());
            valueInfos.put(input.getName(), input);
        }
        for (ValueInfoProto output : graph.getOutputList()) {
            graphOutputs.add(output.getName());
            valueInfos.put(output.getName(), output);
        }
        for (ValueInfoProto info : graph.getValueInfoList()) {
            valueInfos.putIfAbsent(info.getName(), info);
        }
        for (int index = 0; index < graph.getNodeCount(); index++) {
            NodeProto node = graph.getNode(index);
            for (String output : node.getOutputList()) {
                if (!output.isEmpty()) {
                    producers.put(output, index);
                }
            }
            Set<String> read = new HashSet<>();
            for (String input : node.getInputList()) {
                if (!input.isEmpty() && read.add(input)) {
                    consumers.computeIfAbsent(input, key -> new ArrayList<>()).add(index);
                }
            }
            for (String captured : outerScopeReads(node)) {
                if (read.add(captured)) {
                    consumers.computeIfAbsent(captured, key -> new ArrayList<>()).add(index);
                }
            }
        }
    }

    public GraphProto graph() {
        return graph;
    }

    public NodeProto node(int index) {
        return graph.getNode(index);
    }

    public int nodeCount() {
        return graph.getNodeCount();
    }

    /** Index of the node that produces {@code value}; empty for graph inputs, initializers and outer-scope values. */
    public Optional<Integer> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /** Indices of the nodes that read {@code value}, in graph order, each once. */
    public List<Integer> consumers(String value) {
        return Collections.unmodifiableList(consumers.getOrDefault(value, List.of()));
    }

    public Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    public Map<String, TensorProto> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** Type information recorded for {@code value} as graph input, output or value_info. */
    public Optional<ValueInfoProto> valueInfo(String value) {
        return Optional.ofNullable(valueInfos.get(value));
    }

    /** Returns whether {@code value} is a graph input that no initializer overrides. */
    public boolean isGraphInput(String value) {
        return graphInputs.contains(value) && !initializers.containsKey(value);
    }

    public boolean isGraphOutput(String value) {
        return graphOutputs.contains(value);
    }

    /**
     * Returns node indices in an order where every producer comes before its consumers. Among
     * nodes that are ready at the same time, the lower index comes first, so the order is stable.
     *
     * @throws IllegalStateException if the graph has a cycle
     */
    public List<Integer> topologicalOrder() {
        int[] pending = new int[graph.getNodeCount()];
        for (int index = 0; index < graph.getNodeCount(); index++) {
            for (String input : inputsOf(index)) {
                if (producers.containsKey(input)) {
                    pending[index]++;
                }
            }
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int index = 0; index < pending.length; index++) {
            if (pending[index] == 0) {
                ready.add(index);
            }
        }
        List<Integer> order = new ArrayList<>(graph.getNodeCount());
        while (!ready.isEmpty()) {
            int index = ready.poll();
            order.add(index);
            for (String output : graph.getNode(index).getOutputList()) {
                for (int consumer : consumers.getOrDefault(output, List.of())) {
                    long uses = inputsOf(consumer).stream().filter(output::equals).count();
                    pending[consumer] -= (int) uses;
                    if (pending[consumer] == 0) {
                        ready.add(consumer);
                    }
                }
            }
        }
        if (order.size() != graph.getNodeCount()) {
            throw new IllegalStateException("Graph '" + graph.getName() + "' has a cycle: only " + order.size()
                    + " of " + graph.getNodeCount() + " nodes can be ordered");
        }
        return order;
    }

    /** Inputs of a node, outer-scope reads of its subgraphs included, each once. */
    private List<String> inputsOf(int index) {
        NodeProto node = graph.getNode(index);
        Set<String> inputs = new java.util.LinkedHashSet<>();
        for (String input : node.getInputList()) {
            if (!input.isEmpty()) {
                inputs.add(input);
            }
        }
        inputs.addAll(outerScopeReads(node));
        return new ArrayList<>(inputs);
    }

    /** Names that the subgraphs of {@code node} read but do not define themselves. */
    public static Set<String> outerScopeReads(NodeProto node) {
        Set<String> reads = new java.util.TreeSet<>();
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.hasG()) {
                collectOuterReads(attribute.getG(), reads);
            }
            for (GraphProto body : attribute.getGraphsList()) {
                collectOuterReads(body, reads);
            }
        }
        return reads;
    }

    private static void collectOuterReads(GraphProto body, Set<String> reads) {
        Set<String> defined = new HashSet<>();
        body.getInputList().forEach(input -> defined.add(input.getName()));
        body.getInitializerList().forEach(initializer -> defined.add(initializer.getName()));
        Deque<NodeProto> nodes = new ArrayDeque<>(body.getNodeList());
        for (NodeProto node : body.getNodeList()) {
            defined.addAll(node.getOutputList());
        }
        while (!nodes.isEmpty()) {
            NodeProto node = nodes.poll();
            for (String input : node.getInputList()) {
                if (!input.isEmpty() && !defined.contains(input)) {
                    reads.add(input);
                }
            }
            for (String nested : outerScopeReads(node)) {
                if (!defined.contains(nested)) {
                    reads.add(nested);
                }
            }
        }
        for (ValueInfoProto output : body.getOutputList()) {
            if (!defined.contains(output.getName())) {
                reads.add(output.getName());
            }
        }
    }
}
