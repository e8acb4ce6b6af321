package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantMath;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;
import java.util.Optional;

/**
 * Conv and ConvTranspose: activation X, weight W per channel along the output-channel axis
 * (axis 0 of a Conv weight {@code [M, C/group, kH, kW]}, axis 1 of a ConvTranspose weight
 * {@code [C, M/group, kH, kW]}), bias B in int32, output Y with its own calibrated range.
 *
 * <pre>
 *  before:                       after:
 *   X ──────┐                     X ─ Q ─ DQ ──────────────┐
 *   W ──────┼─ Conv ─ Y           W_quantized ─ DQ(axis) ──┼─ Conv ─ Q ─ DQ ─ Y
 *   B ──────┘                     B_quantized(int32) ─ DQ ─┘
 * </pre>
 * When Y has no calibrated range it stays float and the plan notes it.
 */
final class ConvHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("Conv", "ConvTranspose");
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
        return outputIndex == 0;
    }

    @Override
    public NodeQuantization plan(NodeContext context) throws NodeSkippedException {
        NodeQuantization.Builder plan = NodeQuantization.builder();
        QuantParameters input = HandlerSupport.activation(context, 0);
        plan.activation(0, input);

        String weightName = HandlerSupport.input(context, 1);
        ConstantTensor weight = context.constant(weightName).orElseThrow(() ->
                new NodeSkippedException("weight '" + weightName + "' is not a constant"));
        int axis = context.node().getOpType().equals("ConvTranspose") ? 1 : 0;
        if (weight.rank() <= axis) {
            throw new NodeSkippedException("weight '" + weightName + "' has rank " + weight.rank()
                    + ", too low for channel axis " + axis);
        }
        QuantParameters weightParameters = HandlerSupport.weightParameters(context, weight, axis);

        if (HandlerSupport.hasInput(context, 2)) {
            String biasName = HandlerSupport.input(context, 2);
            ConstantTensor bias = context.constant(biasName).orElseThrow(() ->
                    new NodeSkippedException("bias '" + biasName + "' is not a constant"));
            HandlerSupport.requireFloatTensor(bias);
            QuantMath.BiasQuantization quantized = QuantMath.quantizeBias(bias.floats(), input.scale(), weightParameters);
            weightParameters = quantized.weight();
            plan.bias(2, bias, quantized.values(), quantized.scales());
            if (quantized.widenedChannelCount() > 0) {
                plan.note("widened the weight scale of " + quantized.widenedChannelCount()
                        + " channel(s) so that the int32 bias fits");
            }
        }
        plan.weight(1, weight, weightParameters);

        String output = context.node().getOutput(0);
        Optional<QuantParameters> outputParameters = context.calibratedParameters(output);
        if (outputParameters.isPresent()) {
            plan.output(0, outputParameters.get());
        } else {
            plan.note("output '" + output + "' left in float: no calibration range");
        }
        return plan.build();
    }
}
