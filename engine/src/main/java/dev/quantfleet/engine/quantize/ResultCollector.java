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

    static NodeRef ref(String scope, int index, NodeProto node) {
        return new NodeRef(scope, index, node.getName(), node.getOpType());
    }

    void quantized(String scope, int index, NodeProto node, List<ElementType> types, List<String> notes) {
        List<String> names = types.stream().map(type -> type.name().toLowerCase(Locale.ROOT)).toList();
        quantized.add(new QuantizedNode(ref(scope, index, node), names, notes));
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
