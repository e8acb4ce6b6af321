package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites one QDQ graph scope into the ContribFused operator form (see {@link OperatorForm}): a
 * quantized MatMul whose weight is a constant 8-bit tensor and whose output feeds an Add of a
 * constant float bias becomes one {@code com.microsoft} MatMulIntegerToFloat, which reads the
 * quantized activation and weight directly and adds the bias in float:
 * <pre>
 *  before:
 *   X ─ Q ─ X_quantized ─ DQ ──┐
 *   W_quantized ─ DQ(axis 1) ──┴─ MatMul ─ Y ─ Add ─ Z
 *                         bias (float) ──────┘
 *  after:
 *   X ─ Q ─ X_quantized ──────────┐
 *   W_quantized ──────────────────┤
 *   X_scale, W_scale ─────────────┼─ MatMulIntegerToFloat ─ Z
 *   X_zero_point, W_zero_point ───┤
 *   bias (float) ─────────────────┘
 * </pre>
 * The activation DequantizeLinear stays while any other node reads it. Per-channel weight scales
 * and zero points pass through as 1-D inputs of N values (one per output column), which the
 * operator accepts for B.
 *
 * <p>A MatMul keeps its Standard form, with the reason in its result notes, when the weight is
 * not a constant 2-D 8-bit tensor, when the activation is not 8-bit, when A is int8 and B
 * uint8 (ONNX Runtime 1.29 has no CPU kernel for that pair; uint8 x uint8, uint8 x int8 and
 * int8 x int8 run, as {@code ContribFusedTest} checks), or when no bias Add as described in
 * {@link BiasAdd} follows.
 */
final class QdqMatMulFusion {

    private final QuantizationSession session;
    private final String scope;
    private final GraphProto graph;
    private final GraphView view;

    /** A matched MatMul and bias Add, and the node that replaces them. */
    private record Fusion(int matMulIndex, BiasAdd biasAdd, NodeProto fused, List<String> dequantized) {
    }

    /** The Fusion of a MatMul, or the reason it keeps its Standard form. */
    private record Match(Fusion fusion, String reason) {
    }

    private QdqMatMulFusion(QuantizationSession session, String scope, GraphProto graph) {
        this.session = session;
        this.scope = scope;
        this.graph = graph;
        this.view = new GraphView(graph);
    }

    /**
     * Fuses what matches in {@code rewritten}, the QDQ form of a scope, and notes the form of each
     * node of {@code quantizedNodes} (original index to original node) in the result.
     */
    static GraphProto fuse(QuantizationSession session, String scope, GraphProto rewritten,
                           Map<Integer, NodeProto> quantizedNodes) {
        return new QdqMatMulFusion(session, scope, rewritten).fuse(quantizedNodes);
    }

    private GraphProto fuse(Map<Integer, NodeProto> quantizedNodes) {
        Map<Integer, Fusion> fusionsByAddIndex = new HashMap<>();
        Set<Integer> removed = new HashSet<>();
        Set<String> dequantizedInputs = new LinkedHashSet<>();
        quantizedNodes.forEach((originalIndex, node) -> {
            if (!node.getOpType().equals("MatMul")) {
                note(originalIndex, "operator form Standard: ContribFused covers MatMul with a bias Add only");
                return;
            }
            Match match = match(node.getOutput(0));
            if (match.fusion() == null) {
                note(originalIndex, "operator form Standard: " + match.reason());
                return;
            }
            Fusion fusion = match.fusion();
            fusionsByAddIndex.put(fusion.biasAdd().addIndex(), fusion);
            removed.add(fusion.matMulIndex());
            dequantizedInputs.addAll(fusion.dequantized());
            session.result().contribOperatorCount++;
            note(originalIndex, "operator form ContribFused: com.microsoft MatMulIntegerToFloat '"
                    + fusion.fused().getName() + "' with the bias of Add '" + fusion.biasAdd().add().getName() + "'");
        });
        if (fusionsByAddIndex.isEmpty()) {
            return graph;
        }
        GraphProto.Builder builder = graph.toBuilder().clearNode();
        for (int index = 0; index < graph.getNodeCount(); index++) {
            Fusion fusion = fusionsByAddIndex.get(index);
            if (fusion != null) {
                builder.addNode(fusion.fused());
            } else if (!removed.contains(index)) {
                builder.addNode(graph.getNode(index));
            }
        }
        return removeUnreadDequantizers(builder.build(), dequantizedInputs);
    }

    private void note(int originalIndex, String note) {
        session.result().addNote(scope, originalIndex, note);
    }

    private Match match(String matMulOutput) {
        Optional<Integer> matMulIndex = view.producer(matMulOutput);
        if (matMulIndex.isEmpty() || !view.node(matMulIndex.get()).getOpType().equals("MatMul")) {
            return noMatch("the MatMul output '" + matMulOutput + "' was renamed by an earlier rewrite");
        }
        NodeProto matMul = view.node(matMulIndex.get());

        Optional<NodeProto> activation = dequantizer(matMul.getInput(0));
        Optional<NodeProto> weight = dequantizer(matMul.getInput(1));
        if (activation.isEmpty() || weight.isEmpty()) {
            return noMatch("input A or B is not read through a DequantizeLinear");
        }
        Optional<TensorProto> activationZeroPoint = view.initializer(activation.get().getInput(2));
        if (activationZeroPoint.isEmpty() || !isEightBit(activationZeroPoint.get())) {
            return noMatch("input A is not quantized to 8 bits");
        }

        Optional<TensorProto> weightValues = view.initializer(weight.get().getInput(0));
        if (weightValues.isEmpty() || weightValues.get().getDimsCount() != 2 || !isEightBit(weightValues.get())) {
            return noMatch("input B is not a constant 2-D 8-bit weight");
        }
        boolean signedActivation = activationZeroPoint.get().getDataType() == ElementType.INT8.code();
        if (signedActivation && weightValues.get().getDataType() != ElementType.INT8.code()) {
            return noMatch("input A is int8 and the weight uint8, a pair for which ONNX Runtime 1.29 has no CPU "
                    + "kernel of MatMulIntegerToFloat");
        }

        long columns = weightValues.get().getDims(1);
        if (!perTensorOrLastAxis(weight.get())) {
            return noMatch("the weight is quantized per channel along axis 0, and MatMulIntegerToFloat takes per-column "
                    + "scales only");
        }

        BiasAdd.Search search = BiasAdd.find(view, matMulOutput, columns, session.irVersion());
        if (search.biasAdd().isEmpty()) {
            return noMatch(search.reason());
        }

        BiasAdd biasAdd = search.biasAdd().get();
        String base = matMul.getName().isEmpty() ? matMulOutput : matMul.getName();
        NodeProto fused = session.nodes().matMulIntegerToFloat(session.names().allocate(base + "_MatMulIntegerToFloat"),
                activation.get().getInput(0), weight.get().getInput(0), activation.get().getInput(1),
                weight.get().getInput(1), activation.get().getInput(2), weight.get().getInput(2), biasAdd.bias(),
                biasAdd.output());
        List<String> dequantized = List.of(matMul.getInput(0), matMul.getInput(1));
        return new Match(new Fusion(matMulIndex.get(), biasAdd, fused, dequantized), null);
    }

    private static Match noMatch(String reason) {
        return new Match(null, reason);
    }

    private Optional<NodeProto> dequantizer(String value) {
        return view.producer(value).map(view::node)
                .filter(node -> node.getOpType().equals("DequantizeLinear") && node.getInputCount() == 3);
    }

    private static boolean isEightBit(TensorProto tensor) {
        return tensor.getDataType() == ElementType.INT8.code() || tensor.getDataType() == ElementType.UINT8.code();
    }

    private static boolean perTensorOrLastAxis(NodeProto dequantize) {
        for (AttributeProto attribute : dequantize.getAttributeList()) {
            if (attribute.getName().equals("axis")) {
                return attribute.getI() == 1 || attribute.getI() == -1;
            }
        }
        return true;
    }

    /** Removes the DequantizeLinear nodes that wrote {@code values} when no node and no graph output reads them any more. */
    private static GraphProto removeUnreadDequantizers(GraphProto fused, Set<String> values) {
        GraphView fusedView = new GraphView(fused);
        GraphProto.Builder builder = fused.toBuilder().clearNode();
        for (NodeProto node : fused.getNodeList()) {
            boolean unread = node.getOpType().equals("DequantizeLinear") && values.contains(node.getOutput(0))
                    && fusedView.consumers(node.getOutput(0)).isEmpty() && !fusedView.isGraphOutput(node.getOutput(0));
            if (!unread) {
                builder.addNode(node);
            }
        }
        return builder.build();
    }
}
