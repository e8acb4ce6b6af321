package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantMath;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;
import java.util.Optional;

/**
 * Gather. A constant float table (an embedding) is stored quantized per tensor with the weight
 * type. ONNX Gather takes no 4-bit input, so int4 and uint4 become int8 and uint8 here. The
 * Gather picks quantized rows and the DequantizeLinear follows it, so each run dequantizes only
 * the gathered rows instead of the whole table. A Gather of a
 * quantized activation shares that activation's scale. The indices are never quantized.
 *
 * <pre>
 *  embedding, before:              after:
 *   table ─────┐                    table_quantized ─┐
 *   indices ───┴─ Gather ─ Y        indices ─────────┴─ Gather ─ Y_quantized ─ DQ ─ Y
 *
 *  quantized activation X, after:
 *   X ─ DQ ─┐
 *   indices ┴─ Gather ─ Q ─ DQ ─ Y      (same scale and zero point as X)
 * </pre>
 */
final class GatherHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("Gather");
    }

    @Override
    public InputRole inputRole(NodeProto node, int inputIndex) {
        return inputIndex == 0 ? InputRole.SHARED_ACTIVATION : InputRole.CONTROL;
    }

    @Override
    public boolean calibratesOutput(NodeProto node, int outputIndex) {
        return false;
    }

    @Override
    public NodeQuantization plan(NodeContext context) throws NodeSkippedException {
        String data = HandlerSupport.input(context, 0);
        Optional<ConstantTensor> table = context.constant(data);
        if (table.isPresent()) {
            if (!context.quantizeEmbeddings()) {
                throw new NodeSkippedException("table '" + data + "' is constant and quantizeEmbeddings is false");
            }
            HandlerSupport.requireFloatTensor(table.get());
            ElementType tableType = context.weightType();
            NodeQuantization.Builder plan = NodeQuantization.builder();
            if (tableType.bits() == 4) {
                tableType = tableType.minValue() < 0 ? ElementType.INT8 : ElementType.UINT8;
                plan.note("table stored as " + tableType + " because Gather takes no 4-bit input");
            }
            QuantParameters parameters = QuantMath.weightParameters(table.get().floats(), table.get().dims(), tableType,
                    context.weightSymmetric(), QuantParameters.PER_TENSOR);
            return plan.embedding(table.get(), parameters).build();
        }
        QuantParameters shared = HandlerSupport.sharedActivation(context, 0);
        return NodeQuantization.builder().activation(0, shared).output(0, shared).build();
    }
}
