package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.graph.WeightResolver;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.ops.ConstantTensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites one graph scope into the dynamic-quantization form of ONNX Runtime's dynamic
 * quantizer, and recurses into If/Loop/Scan bodies.
 *
 * <p>A MatMul with a float activation A and a constant B:
 * <pre>
 *  before:                      after:
 *   A ───┐                        A ─ DynamicQuantizeLinear ─┬─ A_quantized (uint8) ──────────┐
 *   B ───┴─ MatMul ─ Y ─ Add      │                          ├─ A_zero_point ─────────────────┤
 *        bias ───────────┘        │                          └─ A_scale ──┐                   │
 *                                 B_quantized (int8), B_zero_point ───────┼── MatMulInteger ──┘
 *                                                        B_scale ─ Mul ─ Y_scale    │ int32
 *                                                                          │   Cast(float)
 *                                                                          └──── Mul ─ Y ─ Add
 *                                                                            bias ────────┘
 * </pre>
 * The Add of a constant bias that followed the MatMul stays as it was, so ONNX Runtime's graph
 * optimizer can fuse the chain into one MatMulIntegerToFloat with bias. B is quantized per
 * column (axis 1 of a 2-D B) when the configuration requests per-channel weights. One
 * DynamicQuantizeLinear serves every MatMul that reads the same A.
 *
 * <p>NOTE: the accuracy of this form was measured only on a CPU with AVX-512 VNNI; ONNX Runtime's
 * uint8 x int8 integer kernels on CPUs without VNNI were not checked.
 *
 * <p>With {@link OperatorForm#ContribFused}, a MatMul whose 2-D weight B is constant and whose
 * output feeds an Add of a constant float bias ({@link BiasAdd}) becomes one {@code com.microsoft}
 * DynamicQuantizeMatMul, which quantizes A itself and adds the bias in float. The per-column
 * scales and zero points of B pass through as 1-D inputs, as the operator allows:
 * <pre>
 *  before:                              after:
 *   A ───┐                                A ────────────────────────┐
 *   B ───┴─ MatMul ─ Y ─ Add ─ Z          B_quantized, B_scale,     ├─ DynamicQuantizeMatMul ─ Z
 *        bias (float) ───┘                B_zero_point, bias ───────┘
 * </pre>
 * Any other MatMul keeps the form above, with the reason in its result notes.
 * NOTE: each DynamicQuantizeMatMul quantizes its A itself, so MatMuls that read the same A
 * quantize it once each. On all-MiniLM-L6-v2 this form ran no faster than the Standard one
 * (BENCHMARKS.md, section 2).
 *
 * <p>A Gather of a constant table is rewritten as in QDQ format: the table is stored
 * quantized and a DequantizeLinear follows the Gather. A MatMul whose B is not constant is
 * skipped, because quantizing both operands at run time costs accuracy for little speed.
 */
final class DynamicScopeRewriter {

    private final QuantizationSession session;
    private final GraphProto graph;
    private final String scope;
    private final GraphView view;
    private final Map<String, ElementType> types;

    private final Map<String, String[]> dynamicInputs = new HashMap<>();
    private final Map<WeightKey, WeightTensors> weights = new HashMap<>();
    private final Map<Integer, List<NodeProto>> replacements = new HashMap<>();
    private final Map<Integer, NodeProto> rewrittenBodies = new HashMap<>();
    private final List<TensorProto> newInitializers = new ArrayList<>();
    private final List<ConstantTensor> replacedConstants = new ArrayList<>();

    private record WeightKey(String value, QuantParameters parameters) {
    }

    private record WeightTensors(String quantized, String scale, String zeroPoint, QuantParameters parameters) {
    }

    DynamicScopeRewriter(QuantizationSession session, GraphProto graph, String scope, Map<String, ElementType> outerTypes) {
        this.session = session;
        this.graph = graph;
        this.scope = scope;
        this.view = new GraphView(graph);
        this.types = ElementTypeInference.infer(view, outerTypes);
    }

    GraphProto rewrite() {
        List<Integer> order = view.topologicalOrder();
        for (int index : order) {
            rewriteSubgraphs(index);
            planNode(index);
        }
        GraphProto.Builder builder = graph.toBuilder().clearNode();
        for (int index : order) {
            List<NodeProto> replacement = replacements.get(index);
            if (replacement != null) {
                builder.addAllNode(replacement);
            } else {
                builder.addNode(rewrittenBodies.getOrDefault(index, graph.getNode(index)));
            }
        }
        builder.addAllInitializer(newInitializers);
        DeadConstantRemoval.Outcome removal = DeadConstantRemoval.remove(builder.build(), replacedConstants, graph);
        session.result().removedFloatConstantCount += removal.removedCount();
        return removal.graph();
    }

    private void rewriteSubgraphs(int index) {
        SubgraphBodies.rewrite(graph.getNode(index), scope, this::rewriteBody)
                .ifPresent(node -> rewrittenBodies.put(index, node));
    }

    private GraphProto rewriteBody(GraphProto body, String bodyScope) {
        try {
            return new DynamicScopeRewriter(session, body, bodyScope, types).rewrite();
        } catch (QuantizationException | IllegalArgumentException | IllegalStateException e) {
            session.result().skippedSubgraph(bodyScope, e.getMessage());
            return body;
        }
    }

    private void planNode(int index) {
        NodeProto node = graph.getNode(index);
        boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
        if (!defaultDomain || !session.opTypes().contains(node.getOpType())) {
            return;
        }
        Optional<String> exclusion = session.selection().exclusionReason(node.getName());
        if (exclusion.isPresent()) {
            session.result().excluded(scope, index, node, "excluded by " + exclusion.get());
            return;
        }
        String reason = switch (node.getOpType()) {
            case "MatMul" -> matMul(index, node);
            case "Gather" -> gather(index, node);
            default -> "op type " + node.getOpType() + " has no dynamic quantization";
        };
        if (reason != null) {
            session.result().skipped(scope, index, node, reason);
        }
    }

    /** Rewrites a MatMul; returns the reason it was skipped, or null. */
    private String matMul(int index, NodeProto node) {
        String a = node.getInput(0);
        Optional<ConstantTensor> b = constant(node.getInput(1));
        if (b.isEmpty()) {
            return "input B '" + node.getInput(1) + "' is not a constant; Dynamic format quantizes MatMul with a constant B";
        }
        if (constant(a).isPresent() || types.get(a) != ElementType.FLOAT) {
            return "input A '" + a + "' is not a float activation";
        }
        if (b.get().tensor().getDataType() != ElementType.FLOAT.code()) {
            return "input B '" + b.get().value() + "' is not float";
        }
        NodeOverride settings = session.config().effectiveSettings(node.getName());
        ElementType weightType = settings.weightType().elementType();
        int axis = session.config().perChannel() && b.get().rank() == 2 ? 1 : QuantParameters.PER_TENSOR;
        QuantParameters parameters = QuantMath.weightParameters(b.get().floats(), b.get().dims(), weightType,
                session.config().weightSymmetric(), axis);
        WeightTensors weight = weight(b.get(), parameters);
        List<String> notes = new ArrayList<>();
        if (session.config().operatorForm() == OperatorForm.ContribFused) {
            String reason = fuse(index, node, b.get(), weight, weightType);
            if (reason == null) {
                return null;
            }
            notes.add("operator form Standard: " + reason);
        }

        List<NodeProto> nodes = new ArrayList<>();
        String[] dynamic = dynamicInputs.get(a);
        if (dynamic == null) {
            dynamic = new String[] {session.names().allocate(a + "_quantized"), session.names().allocate(a + "_scale"),
                session.names().allocate(a + "_zero_point")};
            nodes.add(session.nodes().dynamicQuantizeLinear(session.names().allocate(a + "_DynamicQuantizeLinear"), a,
                    dynamic[0], dynamic[1], dynamic[2]));
            dynamicInputs.put(a, dynamic);
        }
        String output = node.getOutput(0);
        String base = node.getName().isEmpty() ? output : node.getName();
        String product = session.names().allocate(output + "_int32");
        String productFloat = session.names().allocate(output + "_cast");
        String scale = session.names().allocate(output + "_scale");
        nodes.add(session.nodes().matMulInteger(session.names().allocate(base + "_MatMulInteger"), dynamic[0],
                weight.quantized(), dynamic[2], weight.zeroPoint(), product));
        nodes.add(session.nodes().cast(session.names().allocate(base + "_Cast"), product, productFloat, ElementType.FLOAT));
        nodes.add(session.nodes().mul(session.names().allocate(base + "_scale_Mul"), dynamic[1], weight.scale(), scale));
        nodes.add(session.nodes().mul(session.names().allocate(base + "_output_Mul"), productFloat, scale, output));
        replacements.put(index, nodes);
        session.result().quantized(scope, index, node, List.of(ElementType.UINT8, weightType), notes);
        return null;
    }

    /**
     * Writes one DynamicQuantizeMatMul in place of the MatMul and its bias Add, as the class
     * comment draws it. Returns the reason when the pattern does not match, or else null.
     */
    private String fuse(int index, NodeProto node, ConstantTensor b, WeightTensors weight, ElementType weightType) {
        if (b.rank() != 2) {
            return "input B has rank " + b.rank() + ", and the fusion takes a 2-D weight only";
        }
        BiasAdd.Search search = BiasAdd.find(view, node.getOutput(0), b.dims()[1], session.irVersion());
        if (search.biasAdd().isEmpty()) {
            return search.reason();
        }
        BiasAdd biasAdd = search.biasAdd().get();
        String base = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
        NodeProto fused = session.nodes().dynamicQuantizeMatMul(session.names().allocate(base + "_DynamicQuantizeMatMul"),
                node.getInput(0), weight.quantized(), weight.scale(), weight.zeroPoint(), biasAdd.bias(),
                biasAdd.output());
        replacements.put(index, List.of());
        replacements.put(biasAdd.addIndex(), List.of(fused));
        session.result().contribOperatorCount++;
        session.result().quantized(scope, index, node, List.of(ElementType.UINT8, weightType),
                List.of("operator form ContribFused: com.microsoft DynamicQuantizeMatMul '" + fused.getName()
                        + "' with the bias of Add '" + biasAdd.add().getName() + "'"));
        return null;
    }

    /** Rewrites a Gather of a constant table; returns the reason it was skipped, or null. */
    private String gather(int index, NodeProto node) {
        Optional<ConstantTensor> table = constant(node.getInput(0));
        if (table.isEmpty() || table.get().tensor().getDataType() != ElementType.FLOAT.code()) {
            return "data input '" + node.getInput(0) + "' is not a constant float table";
        }
        if (!session.config().quantizeEmbeddings()) {
            return "table '" + node.getInput(0) + "' is constant and quantizeEmbeddings is false";
        }
        ElementType weightType = session.config().effectiveSettings(node.getName()).weightType().elementType();
        QuantParameters parameters = QuantMath.weightParameters(table.get().floats(), table.get().dims(), weightType,
                session.config().weightSymmetric(), QuantParameters.PER_TENSOR);
        WeightTensors weight = weight(table.get(), parameters);
        String output = node.getOutput(0);
        String gathered = session.names().allocate(output + "_quantized");
        NodeProto gather = node.toBuilder().setInput(0, weight.quantized()).setOutput(0, gathered).build();
        NodeProto dequantize = session.nodes().dequantizeLinear(session.names().allocate(output + "_DequantizeLinear"),
                gathered, weight.scale(), weight.zeroPoint(), output, weightType, QuantParameters.PER_TENSOR);
        replacements.put(index, List.of(gather, dequantize));
        List<String> notes = session.config().operatorForm() == OperatorForm.ContribFused
                ? List.of("operator form Standard: ContribFused covers MatMul with a bias Add only") : List.of();
        session.result().quantized(scope, index, node, List.of(weightType), notes);
        return null;
    }

    private Optional<ConstantTensor> constant(String value) {
        return WeightResolver.resolve(view, value, session.irVersion())
                .map(constant -> new ConstantTensor(value, constant.tensor(), constant.producerNodes()));
    }

    private WeightTensors weight(ConstantTensor constant, QuantParameters parameters) {
        WeightKey key = new WeightKey(constant.value(), parameters);
        WeightTensors existing = weights.get(key);
        if (existing != null) {
            return existing;
        }
        String value = constant.value();
        WeightTensors weight = new WeightTensors(session.names().allocate(value + "_quantized"),
                session.names().allocate(value + "_scale"), session.names().allocate(value + "_zero_point"), parameters);
        long[] quantized = QuantMath.quantize(constant.floats(), constant.dims(), parameters);
        newInitializers.add(TensorCodec.fromLongs(weight.quantized(), constant.dims(), parameters.type(), quantized));
        newInitializers.add(QdqNodes.scaleTensor(weight.scale(), parameters));
        newInitializers.add(QdqNodes.zeroPointTensor(weight.zeroPoint(), parameters));
        weights.put(key, weight);
        replacedConstants.add(constant);
        session.result().quantizedWeightCount++;
        return weight;
    }
}
