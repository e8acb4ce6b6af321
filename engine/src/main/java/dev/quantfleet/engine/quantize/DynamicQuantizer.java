package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.NameAllocator;
import dev.quantfleet.engine.graph.OpsetConversion;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.QuantizationResult.OpsetChange;
import dev.quantfleet.engine.quantize.ops.OpRegistry;

import java.util.Map;
import java.util.Set;

/**
 * Dynamic quantization: weights quantized offline, activations quantized at run time by
 * DynamicQuantizeLinear, so no calibration is needed. The rewrite of each node is described in
 * {@link DynamicScopeRewriter}. The model needs opset 11 for DynamicQuantizeLinear and is raised
 * to it when lower.
 */
final class DynamicQuantizer {

    private DynamicQuantizer() {
    }

    static QuantizationResult quantize(ModelProto model, QuantConfig config, NodeSelection selection, Set<String> opTypes) {
        ModelProto working = model;
        OpsetChange opsetChange = null;
        if (QdqQuantizer.defaultOpset(model) < QdqNodes.DYNAMIC_QUANTIZE_OPSET) {
            OpsetConversion conversion = QdqQuantizer.raiseOpset(model, QdqNodes.DYNAMIC_QUANTIZE_OPSET,
                    "DynamicQuantizeLinear needs opset 11");
            working = conversion.model();
            opsetChange = new OpsetChange(conversion.fromVersion(), conversion.toVersion(),
                    conversion.rewrittenNodesByOpType());
        }
        ResultCollector result = new ResultCollector();
        QuantizationSession session = new QuantizationSession(working.getIrVersion(), config, ActivationRanges.none(), opTypes, selection,
                NameAllocator.of(working), new QdqNodes((int) QdqQuantizer.defaultOpset(working)), OpRegistry.standard(),
                result, Map.of());
        ModelProto quantized = working.toBuilder()
                .setGraph(new DynamicScopeRewriter(session, working.getGraph(), "main", Map.of()).rewrite())
                .build();
        if (result.contribOperatorCount > 0) {
            quantized = QdqNodes.importMicrosoftDomain(quantized);
        }
        return new QuantizationResult(quantized, QdqQuantizer.summary(config.format(), opTypes, result, opsetChange));
    }
}
