package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.QuantMath;
import dev.quantfleet.engine.quantize.QuantParameters;

import java.util.Optional;

/** Planning steps that several handlers share. */
final class HandlerSupport {

    private HandlerSupport() {
    }

    static String input(NodeContext context, int index) {
        NodeProto node = context.node();
        return index < node.getInputCount() ? node.getInput(index) : "";
    }

    static boolean hasInput(NodeContext context, int index) {
        return !input(context, index).isEmpty();
    }

    static void requireFloat(NodeContext context, String value) throws NodeSkippedException {
        Optional<ElementType> type = context.elementType(value);
        if (type.isEmpty()) {
            throw new NodeSkippedException("element type of '" + value + "' is unknown");
        }
        if (type.get() != ElementType.FLOAT) {
            throw new NodeSkippedException("'" + value + "' is " + type.get() + ", not float");
        }
    }

    /**
     * Returns parameters for the activation at {@code index}: those already chosen for it, else
     * those from its calibrated range.
     */
    static QuantParameters activation(NodeContext context, int index) throws NodeSkippedException {
        String value = input(context, index);
        requireFloat(context, value);
        Optional<QuantParameters> existing = context.existingParameters(value);
        if (existing.isPresent()) {
            return existing.get();
        }
        return context.calibratedParameters(value).orElseThrow(() ->
                new NodeSkippedException("no calibration range for input '" + value + "'"));
    }

    /** Returns the parameters already chosen for the data input of an op that shares its input's scale. */
    static QuantParameters sharedActivation(NodeContext context, int index) throws NodeSkippedException {
        String value = input(context, index);
        requireFloat(context, value);
        return context.existingParameters(value).orElseThrow(() -> new NodeSkippedException("input '" + value
                + "' is not quantized, and this op only reuses the scale of a quantized input"));
    }

    /**
     * Plans input {@code index} either as an activation or, when it is a constant, as a tensor
     * quantized offline per tensor with the activation type (elementwise ops need both inputs in
     * one type).
     */
    static void activationOrConstant(NodeContext context, NodeQuantization.Builder plan, int index)
            throws NodeSkippedException {
        String value = input(context, index);
        Optional<ConstantTensor> constant = context.constant(value);
        if (constant.isPresent()) {
            requireFloatTensor(constant.get());
            QuantParameters parameters = QuantMath.weightParameters(constant.get().floats(), constant.get().dims(),
                    context.activationType(), context.activationSymmetric(), QuantParameters.PER_TENSOR);
            plan.weight(index, constant.get(), parameters);
        } else {
            plan.activation(index, activation(context, index));
        }
    }

    static QuantParameters weightParameters(NodeContext context, ConstantTensor weight, int axis)
            throws NodeSkippedException {
        requireFloatTensor(weight);
        int effectiveAxis = context.perChannel() ? axis : QuantParameters.PER_TENSOR;
        return QuantMath.weightParameters(weight.floats(), weight.dims(), context.weightType(),
                context.weightSymmetric(), effectiveAxis);
    }

    static void requireFloatTensor(ConstantTensor constant) throws NodeSkippedException {
        ElementType type = ElementType.fromCode(constant.tensor().getDataType());
        if (type != ElementType.FLOAT) {
            throw new NodeSkippedException("constant '" + constant.value() + "' is " + type + ", not float");
        }
    }

    static long intAttribute(NodeProto node, String name, long defaultValue) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return attribute.getI();
            }
        }
        return defaultValue;
    }

    static float floatAttribute(NodeProto node, String name, float defaultValue) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return attribute.getF();
            }
        }
        return defaultValue;
    }

    static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(attribute -> attribute.getName().equals(name)).findFirst();
    }
}
