package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;

/**
 * MaxPool, AveragePool, GlobalAveragePool and Resize: one activation input X and one output Y.
 * MaxPool and Resize output values of X (or interpolations of them, which stay within X's
 * range), so Y shares X's scale and zero point. The average pools give Y its own calibrated
 * range when there is one, else X's. The other Resize inputs (roi, scales, sizes) are control
 * inputs and stay as they are.
 *
 * <pre>
 *  before:                         after:
 *   X ─ MaxPool ─ Y                 X ─ Q ─ DQ ─ MaxPool ─ Q ─ DQ ─ Y
 *   X ─┐                            X ─ Q ─ DQ ─┐
 *   roi, scales, sizes ─┴─ Resize   roi, scales, sizes ─┴─ Resize ─ Q ─ DQ ─ Y
 * </pre>
 * A MaxPool that also writes its Indices output is skipped.
 */
final class PoolHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("MaxPool", "AveragePool", "GlobalAveragePool", "Resize");
    }

    @Override
    public InputRole inputRole(NodeProto node, int inputIndex) {
        return inputIndex == 0 ? InputRole.ACTIVATION : InputRole.CONTROL;
    }

    @Override
    public boolean calibratesOutput(NodeProto node, int outputIndex) {
        return outputIndex == 0 && node.getOpType().endsWith("AveragePool");
    }

    @Override
    public NodeQuantization plan(NodeContext context) throws NodeSkippedException {
        NodeProto node = context.node();
        if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            throw new NodeSkippedException("writes the Indices output, which has no quantized form");
        }
        QuantParameters input = HandlerSupport.activation(context, 0);
        QuantParameters output = input;
        if (calibratesOutput(node, 0)) {
            output = context.calibratedParameters(node.getOutput(0)).orElse(input);
        }
        return NodeQuantization.builder().activation(0, input).output(0, output).build();
    }
}
