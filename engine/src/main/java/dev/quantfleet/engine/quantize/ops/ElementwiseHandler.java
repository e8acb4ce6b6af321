package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;

/**
 * Add, Mul and Concat, which ONNX Runtime runs as QLinearAdd, QLinearMul and QLinearConcat:
 * every input is an activation with its own scale, or a constant quantized offline with the
 * activation type, and the output gets its own calibrated range. Without an output range the
 * node is skipped, because quantizing only its inputs would cost accuracy and gain no
 * integer kernel.
 *
 * <pre>
 *  before:             after:
 *   A ───┐              A ─ Q ─ DQ ───────┐
 *   B ───┴─ Add ─ Y     B_quantized ─ DQ ─┴─ Add ─ Q ─ DQ ─ Y
 * </pre>
 */
final class ElementwiseHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("Add", "Mul", "Concat");
    }

    @Override
    public InputRole inputRole(NodeProto node, int inputIndex) {
        return InputRole.ACTIVATION;
    }

    @Override
    public boolean calibratesOutput(NodeProto node, int outputIndex) {
        return outputIndex == 0;
    }

    @Override
    public NodeQuantization plan(NodeContext context) throws NodeSkippedException {
        NodeProto node = context.node();
        String output = node.getOutput(0);
        HandlerSupport.requireFloat(context, output);
        QuantParameters outputParameters = context.calibratedParameters(output).orElseThrow(() ->
                new NodeSkippedException("no calibration range for output '" + output + "'"));
        NodeQuantization.Builder plan = NodeQuantization.builder();
        boolean allConstant = true;
        for (int index = 0; index < node.getInputCount(); index++) {
            if (HandlerSupport.hasInput(context, index)) {
                allConstant &= context.constant(node.getInput(index)).isPresent();
                HandlerSupport.activationOrConstant(context, plan, index);
            }
        }
        if (allConstant) {
            throw new NodeSkippedException("every input is a constant; fold the node instead of quantizing it");
        }
        return plan.output(0, outputParameters).build();
    }
}
