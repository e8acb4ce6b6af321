package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.graph.NameAllocator;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Requantizes, with unchanged values, the float output of a data-movement node that carries
 * dequantized values into the body of an {@code If}, {@code Loop} or {@code Scan}, because
 * ONNX Runtime aborts the whole process on the plain form.
 *
 * <p>The failure: ONNX Runtime's QDQ propagation (level 1 optimizations, so every level but
 * "disable all") moves a per-tensor DequantizeLinear forward past MaxPool, Reshape, Transpose,
 * Squeeze, Unsqueeze and Slice by inserting a QuantizeLinear/DequantizeLinear pair on each edge
 * that leaves the moved-past node. One of those edges may end in a subgraph's read of an
 * outer-scope value (an "implicit input"). The insertion then indexes the consumer's explicit
 * inputs with the implicit input's position and fails a bounds assertion, which aborts the
 * process instead of raising an error. Seen with ONNX Runtime 1.29.0 (Java) and 1.30.0 (Python) on a
 * graph {@code QuantizeLinear -> DequantizeLinear -> Reshape -> value read by an If branch}; a
 * search that keeps a head of If nodes in float behind a quantized trunk builds exactly that.
 *
 * <p>The rewrite, for each such node whose first input is a per-tensor DequantizeLinear output,
 * directly or through other nodes of those op types: the node's output is renamed, and a
 * QuantizeLinear and DequantizeLinear with the DequantizeLinear's own scale and zero point
 * restore the original name. The ops move values without changing them, so every value is
 * already on that quantization grid and the new pair returns it exactly. The node's only
 * consumer is then a QuantizeLinear, where the propagation stops.
 *
 * <pre>
 *   before                                        after
 *
 *   DQ(s, z) ─► Reshape ─► y ─► Flatten           DQ(s, z) ─► Reshape ─► y_float ─► Q(s, z) ─► DQ(s, z) ─► y ─► Flatten
 *                           └─► If (a branch                                                                  └─► If
 *                               reads y)
 * </pre>
 * Every scope is rewritten, subgraphs included, with a scale and zero point found in the same
 * scope or an enclosing one.
 */
final class ImplicitInputRequantization {

    /** The op types ONNX Runtime 1.29's QDQ propagation moves a DequantizeLinear past. */
    static final Set<String> PROPAGATING_OP_TYPES = Set.of("MaxPool", "Reshape", "Transpose", "Squeeze",
            "Unsqueeze", "Slice");

    private final NameAllocator names;
    private int insertedPairs;

    private ImplicitInputRequantization(NameAllocator names) {
        this.names = names;
    }

    /** The rewritten model and the number of QuantizeLinear/DequantizeLinear pairs added. */
    record Outcome(ModelProto model, int insertedPairs) {
    }

    /** Rewrites {@code model} as the class comment describes; a model without the pattern comes back unchanged. */
    static Outcome apply(ModelProto model) {
        ImplicitInputRequantization rewrite = new ImplicitInputRequantization(NameAllocator.of(model));
        GraphProto graph = rewrite.rewrite(model.getGraph(), Map.of());
        if (rewrite.insertedPairs == 0) {
            return new Outcome(model, 0);
        }
        return new Outcome(model.toBuilder().setGraph(graph).build(), rewrite.insertedPairs);
    }

    private GraphProto rewrite(GraphProto graph, Map<String, TensorProto> outerInitializers) {
        Map<String, TensorProto> visible = new HashMap<>(outerInitializers);
        graph.getInitializerList().forEach(initializer -> visible.put(initializer.getName(), initializer));

        GraphView view = new GraphView(graph);
        Set<String> implicitInputs = new HashSet<>();
        graph.getNodeList().forEach(node -> implicitInputs.addAll(GraphView.outerScopeReads(node)));

        GraphProto.Builder rewritten = graph.toBuilder().clearNode();
        for (NodeProto node : graph.getNodeList()) {
            NodeProto withBodies = rewriteBodies(node, visible);
            Optional<NodeProto> source = propagatingSource(view, withBodies, implicitInputs, visible);
            if (source.isEmpty()) {
                rewritten.addNode(withBodies);
                continue;
            }
            String output = withBodies.getOutput(0);
            String floatOutput = names.allocate(output + "_float");
            String quantized = names.allocate(output + "_requantized");
            List<String> dequantizeInputs = source.get().getInputList();
            rewritten.addNode(withBodies.toBuilder().setOutput(0, floatOutput));
            rewritten.addNode(NodeProto.newBuilder().setOpType("QuantizeLinear")
                    .setName(names.allocate(output + "_QuantizeLinear"))
                    .addInput(floatOutput).addAllInput(dequantizeInputs.subList(1, dequantizeInputs.size()))
                    .addOutput(quantized));
            rewritten.addNode(NodeProto.newBuilder().setOpType("DequantizeLinear")
                    .setName(names.allocate(output + "_DequantizeLinear"))
                    .addInput(quantized).addAllInput(dequantizeInputs.subList(1, dequantizeInputs.size()))
                    .addOutput(output));
            insertedPairs++;
        }
        return rewritten.build();
    }

    private NodeProto rewriteBodies(NodeProto node, Map<String, TensorProto> visible) {
        boolean hasBodies = node.getAttributeList().stream()
                .anyMatch(attribute -> attribute.hasG() || attribute.getGraphsCount() > 0);
        if (!hasBodies) {
            return node;
        }
        NodeProto.Builder copy = node.toBuilder().clearAttribute();
        for (AttributeProto attribute : node.getAttributeList()) {
            AttributeProto.Builder attributeCopy = attribute.toBuilder();
            if (attribute.hasG()) {
                attributeCopy.setG(rewrite(attribute.getG(), visible));
            }
            attributeCopy.clearGraphs();
            attribute.getGraphsList().forEach(body -> attributeCopy.addGraphs(rewrite(body, visible)));
            copy.addAttribute(attributeCopy);
        }
        return copy.build();
    }

    /**
     * Returns the per-tensor DequantizeLinear that ONNX Runtime would propagate through
     * {@code node} into a subgraph read, or empty when {@code node} does not have the pattern.
     */
    private static Optional<NodeProto> propagatingSource(GraphView view, NodeProto node, Set<String> implicitInputs,
                                                         Map<String, TensorProto> initializers) {
        if (!PROPAGATING_OP_TYPES.contains(node.getOpType()) || node.getInputCount() == 0
                || node.getOutputCount() == 0 || !implicitInputs.contains(node.getOutput(0))) {
            return Optional.empty();
        }
        Set<String> visited = new HashSet<>();
        String value = node.getInput(0);
        while (visited.add(value)) {
            Optional<Integer> producer = view.producer(value);
            if (producer.isEmpty()) {
                return Optional.empty();
            }
            NodeProto upstream = view.node(producer.get());
            if (upstream.getOpType().equals("DequantizeLinear")) {
                return isPerTensor(upstream, initializers) ? Optional.of(upstream) : Optional.empty();
            }
            if (!PROPAGATING_OP_TYPES.contains(upstream.getOpType()) || upstream.getInputCount() == 0) {
                return Optional.empty();
            }
            value = upstream.getInput(0);
        }
        return Optional.empty();
    }

    private static boolean isPerTensor(NodeProto dequantize, Map<String, TensorProto> initializers) {
        if (dequantize.getInputCount() < 2) {
            return false;
        }
        for (String parameter : dequantize.getInputList().subList(1, dequantize.getInputCount())) {
            TensorProto tensor = initializers.get(parameter);
            if (!parameter.isEmpty() && (tensor == null || TensorCodec.elementCount(tensor) != 1)) {
                return false;
            }
        }
        return true;
    }
}
