package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantizationResult.NodeRef;
import dev.quantfleet.engine.quantize.QuantizationResult.QuantizedNode;
import dev.quantfleet.engine.quantize.QuantizationResult.SkippedSubgraph;
import dev.quantfleet.engine.quantize.QuantizationResult.UntouchedNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects, in graph order, what happened to each node while the quantizer runs. */
final class ResultCollector {

    final List<QuantizedNode> quantized = new ArrayList<>();
    final List<UntouchedNode> excluded = new ArrayList<>();
    final List<UntouchedNode> skipped = new ArrayList<>();
    final List<SkippedSubgraph> skippedSubgraphs = new ArrayList<>();
    int quantizedWeightCount;
    int quantizedBiasCount;
    int quantizedActivationCount;
    int removedFloatConstantCount;
    /** Nodes of the {@code com.microsoft} domain written so far; the model imports that domain when positive. */
    int contribOperatorCount;

    static NodeRef ref(String scope, int index, NodeProto node) {
        return new NodeRef(scope, index, node.getName(), node.getOpType());
    }

    void quantized(String scope, int index, NodeProto node, List<ElementType> types, List<String> notes) {
        List<String> names = types.stream().map(type -> type.name().toLowerCase(Locale.ROOT)).toList();
        quantized.add(new QuantizedNode(ref(scope, index, node), names, notes));
    }

    /** Appends {@code note} to the quantized entry of the node at {@code index} of {@code scope}, if there is one. */
    void addNote(String scope, int index, String note) {
        for (int i = 0; i < quantized.size(); i++) {
            QuantizedNode entry = quantized.get(i);
            if (entry.node().scope().equals(scope) && entry.node().index() == index) {
                List<String> notes = new ArrayList<>(entry.notes());
                notes.add(note);
                quantized.set(i, new QuantizedNode(entry.node(), entry.elementTypes(), notes));
                return;
            }
        }
    }

    void excluded(String scope, int index, NodeProto node, String reason) {
        excluded.add(new UntouchedNode(ref(scope, index, node), reason));
    }

    void skipped(String scope, int index, NodeProto node, String reason) {
        skipped.add(new UntouchedNode(ref(scope, index, node), reason));
    }

    void skippedSubgraph(String scope, String reason) {
        skippedSubgraphs.add(new SkippedSubgraph(scope, reason));
    }
}
