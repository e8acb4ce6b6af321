package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantMath;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;

/**
 * Softmax: activation input X with its calibrated range. Every softmax output lies in [0, 1],
 * so the output Y uses that fixed range and needs no calibration.
 *
 * <pre>
 *  before:            after:
 *   X ─ Softmax ─ Y    X ─ Q ─ DQ ─ Softmax ─ Q ─ DQ ─ Y    (Y: range [0, 1])
 * </pre>
 */
final class SoftmaxHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("Softmax");
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
        QuantParameters input = HandlerSupport.activation(context, 0);
        QuantParameters output = QuantMath.parameters(0f, 1f, context.activationType(), context.activationSymmetric());
        return NodeQuantization.builder().activation(0, input).output(0, output).build();
    }
}
