package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Temporary stand-in for {@code dev.quantfleet.engine.graph.OpsetConverter} until that class is
 * merged: raises the default-domain opset only when no node's signature changes on the way, and
 * rejects the model otherwise.
 */
final class StandInOpsetConverter {

    record OpsetConversion(ModelProto model, long fromVersion, long toVersion, Map<String, Integer> rewrittenNodesByOpType) {
    }

    private static final Set<String> CHANGED_SIGNATURES = Set.of("Unsqueeze", "Squeeze", "Split", "ReduceSum",
            "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceSumSquare", "Softmax", "LogSoftmax", "Hardmax", "Pad", "Slice", "Clip",
            "TopK", "Upsample", "Resize", "BatchNormalization", "Dropout", "Scan", "If", "Loop", "Where");

    private StandInOpsetConverter() {
    }

    static OpsetConversion convert(ModelProto model, int target) {
        long from = QdqQuantizer.defaultOpset(model);
        Set<String> blocking = new TreeSet<>();
        collect(model.getGraph(), blocking);
        if (!blocking.isEmpty()) {
            throw new QuantizationException("Cannot raise the opset from " + from + " to " + target
                    + ": the converter does not rewrite " + blocking);
        }
        ModelProto.Builder builder = model.toBuilder().clearOpsetImport();
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            boolean defaultDomain = opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx");
            builder.addOpsetImport(defaultDomain ? opset.toBuilder().setVersion(target).build() : opset);
        }
        if (target >= 21 && builder.getIrVersion() < 10) {
            builder.setIrVersion(10);
        }
        return new OpsetConversion(builder.build(), from, target, Map.of());
    }

    private static void collect(GraphProto graph, Set<String> blocking) {
        for (NodeProto node : graph.getNodeList()) {
            if (CHANGED_SIGNATURES.contains(node.getOpType())) {
                blocking.add(node.getOpType());
            }
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG()) {
                    collect(attribute.getG(), blocking);
                }
            }
        }
    }
}
