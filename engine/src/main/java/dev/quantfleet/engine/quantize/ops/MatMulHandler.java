package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;
import java.util.Optional;

/**
 * MatMul: each input is an activation or a constant weight. A constant B is quantized per
 * channel along its last axis (the output columns N of {@code [..., K, N]}); a constant A per
 * tensor. The output stays float, the form ONNX Runtime turns into MatMulIntegerToFloat, or
 * gets quantized later when a quantized consumer reads it.
 *
 * <pre>
 *  before:                 after:
 *   A ───┐                  A ─ Q ─ DQ ──────────────┐
 *   B ───┴─ MatMul ─ Y      B_quantized ─ DQ(axis) ──┴─ MatMul ─ Y
 * </pre>
 * Two activations (attention scores times values) each get a Q/DQ pair.
 */
final class MatMulHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("MatMul");
    }

    @Override
    public InputRole inputRole(NodeProto node, int inputIndex) {
        return InputRole.ACTIVATION;
    }

    @Override
    public boolean calibratesOutput(NodeProto node, int outputIndex) {
        return false;
    }

    @Override
    public NodeQuantization plan(NodeContext context) throws NodeSkippedException {
        Optional<ConstantTensor> a = context.constant(HandlerSupport.input(context, 0));
        Optional<ConstantTensor> b = context.constant(HandlerSupport.input(context, 1));
        if (a.isPresent() && b.isPresent()) {
            throw new NodeSkippedException("both inputs are constants; fold the MatMul instead of quantizing it");
        }
        NodeQuantization.Builder plan = NodeQuantization.builder();
        if (a.isPresent()) {
            plan.weight(0, a.get(), HandlerSupport.weightParameters(context, a.get(), QuantParameters.PER_TENSOR));
        } else {
            plan.activation(0, HandlerSupport.activation(context, 0));
        }
        if (b.isPresent()) {
            ConstantTensor weight = b.get();
            int axis = weight.rank() >= 2 ? weight.rank() - 1 : QuantParameters.PER_TENSOR;
            plan.weight(1, weight, HandlerSupport.weightParameters(context, weight, axis));
        } else {
            plan.activation(1, HandlerSupport.activation(context, 1));
        }
        return plan.build();
    }
}
