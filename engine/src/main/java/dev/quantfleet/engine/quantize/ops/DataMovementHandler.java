package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.List;
import java.util.Optional;

/**
 * Ops that only move or copy values: Transpose, Reshape, Squeeze, Unsqueeze, Flatten, Split,
 * Slice, Pad, Expand, Tile, DepthToSpace, SpaceToDepth. They run on integers unchanged, so every
 * output shares the scale and zero point of the data input (input 0). They are quantized only
 * when that input already is, because quantizing them in a float region would add error and gain
 * nothing. Every other input (shape, axes, starts, ends, pads, repeats, split sizes) is a
 * control input and stays as it is. Pad is quantized only when it pads with 0, which is
 * exactly representable.
 *
 * <pre>
 *  before:                      after (X quantized by an earlier node):
 *   X ─────┐                     X ─ DQ ─┐
 *   shape ─┴─ Reshape ─ Y        shape ──┴─ Reshape ─ Q ─ DQ ─ Y    (same scale as X)
 * </pre>
 */
final class DataMovementHandler implements OpHandler {

    @Override
    public List<String> opTypes() {
        return List.of("Transpose", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Split", "Slice", "Pad", "Expand",
                "Tile", "DepthToSpace", "SpaceToDepth");
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
        NodeProto node = context.node();
        if (node.getOpType().equals("Pad")) {
            requireZeroPadding(context);
        }
        QuantParameters shared = HandlerSupport.sharedActivation(context, 0);
        NodeQuantization.Builder plan = NodeQuantization.builder().activation(0, shared);
        for (int output = 0; output < node.getOutputCount(); output++) {
            if (!node.getOutput(output).isEmpty()) {
                plan.output(output, shared);
            }
        }
        return plan.build();
    }

    private static void requireZeroPadding(NodeContext context) throws NodeSkippedException {
        NodeProto node = context.node();
        String mode = HandlerSupport.attribute(node, "mode").map(attribute -> attribute.getS().toStringUtf8())
                .orElse("constant");
        if (!mode.equals("constant")) {
            return;
        }
        float attributeValue = HandlerSupport.floatAttribute(node, "value", 0f);
        if (attributeValue != 0f) {
            throw new NodeSkippedException("pads with " + attributeValue + ", which the input's scale may not represent");
        }
        if (HandlerSupport.hasInput(context, 2)) {
            Optional<ConstantTensor> value = context.constant(HandlerSupport.input(context, 2));
            if (value.isEmpty() || value.get().floats().length != 1 || value.get().floats()[0] != 0f) {
                throw new NodeSkippedException("constant_value is not a constant 0, which the input's scale may not represent");
            }
        }
    }
}
