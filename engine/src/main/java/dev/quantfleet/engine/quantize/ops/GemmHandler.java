package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantMath;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;
import java.util.Optional;

/**
 * Gemm {@code Y = alpha * A' * B' + beta * C}: activation A, weight B per channel along the
 * output-column axis (axis 0 when {@code transB = 1}, so B is {@code [N, K]}, else axis 1), and
 * a constant 1-D C of N values in int32 when {@code alpha = beta = 1}. Any other C stays float.
 *
 * <pre>
 *  before:                 after:
 *   A ───┐                  A ─ Q ─ DQ ────────────────┐
 *   B ───┼─ Gemm ─ Y        B_quantized ─ DQ(axis) ────┼─ Gemm ─ Y
 *   C ───┘                  C_quantized(int32) ─ DQ ───┘
 * </pre>
 */
final class GemmHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("Gemm");
    }

    @Override
    public InputRole inputRole(NodeProto node, int inputIndex) {
        return switch (inputIndex) {
            case 0 -> InputRole.ACTIVATION;
            case 1 -> InputRole.WEIGHT;
            default -> InputRole.BIAS;
        };
    }

    @Override
    public boolean calibratesOutput(NodeProto node, int outputIndex) {
        return false;
    }

    @Override
    public NodeQuantization plan(NodeContext context) throws NodeSkippedException {
        NodeProto node = context.node();
        NodeQuantization.Builder plan = NodeQuantization.builder();
        if (context.constant(HandlerSupport.input(context, 0)).isPresent()) {
            throw new NodeSkippedException("input A is a constant; only Gemm with an activation A is quantized");
        }
        QuantParameters input = HandlerSupport.activation(context, 0);
        plan.activation(0, input);

        Optional<ConstantTensor> b = context.constant(HandlerSupport.input(context, 1));
        if (b.isEmpty()) {
            plan.activation(1, HandlerSupport.activation(context, 1));
            return plan.build();
        }
        ConstantTensor weight = b.get();
        if (weight.rank() != 2) {
            throw new NodeSkippedException("weight '" + weight.value() + "' has rank " + weight.rank() + ", expected 2");
        }
        boolean transposedB = HandlerSupport.intAttribute(node, "transB", 0) != 0;
        int axis = transposedB ? 0 : 1;
        QuantParameters weightParameters = HandlerSupport.weightParameters(context, weight, axis);

        if (HandlerSupport.hasInput(context, 2)) {
            weightParameters = planBias(context, plan, input, weight, axis, weightParameters);
        }
        plan.weight(1, weight, weightParameters);
        return plan.build();
    }

    private static QuantParameters planBias(NodeContext context, NodeQuantization.Builder plan, QuantParameters input,
                                            ConstantTensor weight, int axis, QuantParameters weightParameters)
            throws NodeSkippedException {
        NodeProto node = context.node();
        String biasName = HandlerSupport.input(context, 2);
        Optional<ConstantTensor> bias = context.constant(biasName);
        long columns = weight.dims()[axis];
        float alpha = HandlerSupport.floatAttribute(node, "alpha", 1f);
        float beta = HandlerSupport.floatAttribute(node, "beta", 1f);
        if (bias.isEmpty() || alpha != 1f || beta != 1f || bias.get().rank() != 1 || bias.get().dims()[0] != columns) {
            plan.note("bias '" + biasName + "' left in float: int32 bias needs a constant 1-D C of " + columns
                    + " values and alpha = beta = 1");
            return weightParameters;
        }
        HandlerSupport.requireFloatTensor(bias.get());
        QuantMath.BiasQuantization quantized = QuantMath.quantizeBias(bias.get().floats(), input.scale(), weightParameters);
        plan.bias(2, bias.get(), quantized.values(), quantized.scales());
        if (quantized.widenedChannelCount() > 0) {
            plan.note("widened the weight scale of " + quantized.widenedChannelCount()
                    + " channel(s) so that the int32 bias fits");
        }
        return quantized.weight();
    }
}
