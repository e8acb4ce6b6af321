package dev.quantfleet.engine.graph;

import com.google.protobuf.ByteString;
import dev.quantfleet.engine.graph.ConversionStep.Result;
import dev.quantfleet.engine.graph.ConversionStep.StepRejectedException;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversion steps that move attributes to inputs, adjust attributes or drop outputs, and the
 * attribute helpers they share. Each step documents the opset change it bridges.
 *
 * <pre>
 * Attribute to input (Unsqueeze at 13, shown; the same for axes, split, pads, starts/ends, k, min/max, ratio):
 *   before:  x ── Unsqueeze(axes=[0, 2]) ── y
 *   after:   x ──────────┐
 *            axes_init ──┴── Unsqueeze ── y      axes_init: int64 initializer [0, 2]
 * </pre>
 */
final class OpsetRewrites {

    private OpsetRewrites() {
    }

    // ---- steps ----

    /**
     * Moves the int list attribute {@code attributeName} to an int64 input at {@code inputIndex}.
     * A node without the attribute stays unchanged, which keeps the "attribute absent" meaning
     * (for axes: all axes) because the input is optional.
     */
    static ConversionStep int64sToInput(String attributeName, int inputIndex) {
        return (node, scope) -> {
            Optional<AttributeProto> attribute = attribute(node, attributeName);
            if (attribute.isEmpty()) {
                return Result.unchanged(node);
            }
            requireValue(node, attribute.get());
            requireFreeInput(node, inputIndex, attributeName);
            String input = scope.addInt64s(baseName(node) + "_" + attributeName, attribute.get().getIntsList());
            return Result.changed(withInput(withoutAttribute(node, attributeName), inputIndex, input));
        };
    }

    /** Slice at 10: starts, ends and axes move from attributes to int64 inputs 1, 2 and 3. */
    static Result sliceAttributesToInputs(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<AttributeProto> starts = attribute(node, "starts");
        Optional<AttributeProto> ends = attribute(node, "ends");
        if (starts.isEmpty() || ends.isEmpty()) {
            throw new StepRejectedException("it has no 'starts' or 'ends' attribute, which Slice before opset 10 requires");
        }
        NodeProto rewritten = node;
        String[] names = {"starts", "ends", "axes"};
        for (int i = 0; i < names.length; i++) {
            Optional<AttributeProto> attribute = attribute(node, names[i]);
            if (attribute.isEmpty()) {
                continue;
            }
            requireValue(node, attribute.get());
            requireFreeInput(node, i + 1, names[i]);
            String input = scope.addInt64s(baseName(node) + "_" + names[i], attribute.get().getIntsList());
            rewritten = withInput(withoutAttribute(rewritten, names[i]), i + 1, input);
        }
        return Result.changed(rewritten);
    }

    /** TopK at 10: the int attribute k becomes a one-element int64 input. */
    static Result topKToInput(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<AttributeProto> k = attribute(node, "k");
        if (k.isEmpty()) {
            throw new StepRejectedException("it has no 'k' attribute, which TopK before opset 10 requires");
        }
        requireValue(node, k.get());
        requireFreeInput(node, 1, "k");
        String input = scope.addInt64s(baseName(node) + "_k", List.of(k.get().getI()));
        return Result.changed(withInput(withoutAttribute(node, "k"), 1, input));
    }

    /**
     * Clip at 11: the float attributes min and max become inputs 1 and 2 of the input's element
     * type. An absent bound stays an absent input, which means unbounded in both versions.
     */
    static Result clipBoundsToInputs(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<AttributeProto> min = attribute(node, "min");
        Optional<AttributeProto> max = attribute(node, "max");
        if (min.isEmpty() && max.isEmpty()) {
            return Result.unchanged(node);
        }
        ElementType type = inputElementType(node, scope);
        NodeProto rewritten = node;
        if (min.isPresent()) {
            requireValue(node, min.get());
            rewritten = withInput(withoutAttribute(rewritten, "min"), 1,
                    scope.addScalar(baseName(node) + "_min", type, min.get().getF()));
        }
        if (max.isPresent()) {
            requireValue(node, max.get());
            rewritten = withInput(withoutAttribute(rewritten, "max"), 2,
                    scope.addScalar(baseName(node) + "_max", type, max.get().getF()));
        }
        return Result.changed(rewritten);
    }

    /**
     * Pad at 11: pads becomes an int64 input and a non-zero constant value a scalar input of the
     * input's element type; the mode attribute stays.
     */
    static Result padAttributesToInputs(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<AttributeProto> pads = attribute(node, "pads");
        if (pads.isEmpty()) {
            throw new StepRejectedException("it has no 'pads' attribute, which Pad before opset 11 requires");
        }
        requireValue(node, pads.get());
        NodeProto rewritten = withInput(withoutAttribute(node, "pads"), 1,
                scope.addInt64s(baseName(node) + "_pads", pads.get().getIntsList()));
        Optional<AttributeProto> value = attribute(node, "value");
        if (value.isPresent()) {
            requireValue(node, value.get());
            rewritten = withoutAttribute(rewritten, "value");
            if (value.get().getF() != 0f) {
                ElementType type = inputElementType(node, scope);
                rewritten = withInput(rewritten, 2, scope.addScalar(baseName(node) + "_value", type, value.get().getF()));
            }
        }
        return Result.changed(rewritten);
    }

    /**
     * Dropout at 10: the mask output changes its element type from the input's to bool. A mask
     * that nothing reads is dropped; a mask in use is refused, because its readers expect the old type.
     */
    static Result dropoutMaskBecomesBool(NodeProto node, RewriteScope scope) throws StepRejectedException {
        return dropUnusedOutputsAfterFirst(node, scope, "its mask output changes from the input type to bool at opset 10");
    }

    /** Dropout at 12: the ratio attribute becomes a float scalar input; it has no effect at inference either way. */
    static Result dropoutRatioToInput(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<AttributeProto> ratio = attribute(node, "ratio");
        if (ratio.isEmpty()) {
            return Result.unchanged(node);
        }
        requireValue(node, ratio.get());
        requireFreeInput(node, 1, "ratio");
        String input = scope.addScalar(baseName(node) + "_ratio", ElementType.FLOAT, ratio.get().getF());
        return Result.changed(withInput(withoutAttribute(node, "ratio"), 1, input));
    }

    /** BatchNormalization at 9: the spatial attribute is gone; spatial=1 (its default) is the only behavior left. */
    static Result batchNormalizationDropsSpatial(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<Long> spatial = intAttribute(node, "spatial");
        if (spatial.isEmpty()) {
            return Result.unchanged(node);
        }
        if (spatial.get() != 1) {
            throw new StepRejectedException("spatial=" + spatial.get()
                    + " (per-activation statistics) has no equivalent from opset 9 on");
        }
        return Result.changed(withoutAttribute(node, "spatial"));
    }

    /**
     * BatchNormalization at 14: the optional training outputs (mean, var, saved_mean, saved_var)
     * are replaced by running_mean and running_var of training mode. Unused ones are dropped.
     */
    static Result batchNormalizationDropsTrainingOutputs(NodeProto node, RewriteScope scope)
            throws StepRejectedException {
        return dropUnusedOutputsAfterFirst(node, scope,
                "its training outputs (mean, var, saved_mean, saved_var) changed meaning at opset 14");
    }

    /** Scatter at 11: deprecated in favor of ScatterElements, which has the same inputs, attribute and semantics. */
    static Result scatterBecomesScatterElements(NodeProto node, RewriteScope scope) {
        return Result.changed(node.toBuilder().setOpType("ScatterElements").build());
    }

    /**
     * RoiAlign at 16: the new coordinate_transformation_mode defaults to half_pixel, while the
     * behavior before is output_half_pixel, which is therefore written out explicitly.
     */
    static Result roiAlignKeepsOutputHalfPixel(NodeProto node, RewriteScope scope) {
        if (attribute(node, "coordinate_transformation_mode").isPresent()) {
            return Result.unchanged(node);
        }
        return Result.changed(withAttribute(node, stringAttribute("coordinate_transformation_mode", "output_half_pixel")));
    }

    /** GridSample at 20: the mode values bilinear and bicubic are renamed to linear and cubic. */
    static Result gridSampleRenamesModes(NodeProto node, RewriteScope scope) {
        Optional<String> mode = stringAttribute(node, "mode");
        if (mode.isEmpty() || !(mode.get().equals("bilinear") || mode.get().equals("bicubic"))) {
            return Result.unchanged(node);
        }
        String renamed = mode.get().equals("bilinear") ? "linear" : "cubic";
        return Result.changed(withAttribute(node, stringAttribute("mode", renamed)));
    }

    /**
     * Split at 18: without a split input the node must state num_outputs, which equals its output
     * count (the equal split of opset 13 requires divisibility, where num_outputs gives the same parts).
     */
    static Result splitStatesNumOutputs(NodeProto node, RewriteScope scope) {
        boolean hasSplitInput = node.getInputCount() > 1 && !node.getInput(1).isEmpty();
        if (hasSplitInput || attribute(node, "num_outputs").isPresent()) {
            return Result.unchanged(node);
        }
        AttributeProto numOutputs = AttributeProto.newBuilder().setName("num_outputs")
                .setType(AttributeProto.AttributeType.INT).setI(node.getOutputCount()).build();
        return Result.changed(withAttribute(node, numOutputs));
    }

    /** Returns a step that rejects every node, for a change the converter does not handle. */
    static ConversionStep reject(String reason) {
        return (node, scope) -> {
            throw new StepRejectedException(reason);
        };
    }

    // ---- shared helpers ----

    private static Result dropUnusedOutputsAfterFirst(NodeProto node, RewriteScope scope, String reason)
            throws StepRejectedException {
        List<String> extra = node.getOutputList().subList(Math.min(1, node.getOutputCount()), node.getOutputCount());
        if (extra.stream().allMatch(String::isEmpty)) {
            return Result.unchanged(node);
        }
        for (String output : extra) {
            if (!output.isEmpty() && scope.isUsed(output)) {
                throw new StepRejectedException("output '" + output + "' is read, but " + reason);
            }
        }
        extra.stream().filter(output -> !output.isEmpty()).forEach(scope::markRemoved);
        return Result.changed(node.toBuilder().clearOutput().addOutput(node.getOutput(0)).build());
    }

    private static ElementType inputElementType(NodeProto node, RewriteScope scope) throws StepRejectedException {
        String input = node.getInputCount() > 0 ? node.getInput(0) : "";
        return scope.elementType(input).orElseThrow(() -> new StepRejectedException("the element type of input '"
                + input + "' is unknown, and the new bound inputs must match it; add value_info for it"
                + " (run ONNX shape inference) and convert again"));
    }

    private static void requireValue(NodeProto node, AttributeProto attribute) throws StepRejectedException {
        if (!attribute.getRefAttrName().isEmpty()) {
            throw new StepRejectedException("attribute '" + attribute.getName() + "' refers to function attribute '"
                    + attribute.getRefAttrName() + "', so its value is unknown until the function is called");
        }
    }

    private static void requireFreeInput(NodeProto node, int index, String attributeName) throws StepRejectedException {
        if (node.getInputCount() > index && !node.getInput(index).isEmpty()) {
            throw new StepRejectedException("it has both a '" + attributeName + "' attribute and input " + index);
        }
    }

    static String baseName(NodeProto node) {
        if (!node.getName().isEmpty()) {
            return node.getName();
        }
        if (node.getOutputCount() > 0 && !node.getOutput(0).isEmpty()) {
            return node.getOutput(0);
        }
        return node.getOpType();
    }

    static Optional<AttributeProto> attribute(NodeProto node, String name) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    static Optional<Long> intAttribute(NodeProto node, String name) {
        return attribute(node, name).map(AttributeProto::getI);
    }

    static Optional<String> stringAttribute(NodeProto node, String name) {
        return attribute(node, name).map(attribute -> attribute.getS().toStringUtf8());
    }

    static AttributeProto stringAttribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static NodeProto withoutAttribute(NodeProto node, String name) {
        NodeProto.Builder builder = node.toBuilder().clearAttribute();
        for (AttributeProto attribute : node.getAttributeList()) {
            if (!attribute.getName().equals(name)) {
                builder.addAttribute(attribute);
            }
        }
        return builder.build();
    }

    /** Replaces the attribute of the same name, or appends it. */
    static NodeProto withAttribute(NodeProto node, AttributeProto replacement) {
        NodeProto.Builder builder = node.toBuilder();
        for (int i = 0; i < node.getAttributeCount(); i++) {
            if (node.getAttribute(i).getName().equals(replacement.getName())) {
                return builder.setAttribute(i, replacement).build();
            }
        }
        return builder.addAttribute(replacement).build();
    }

    /** Sets input {@code index}, padding skipped optional inputs with empty names. */
    static NodeProto withInput(NodeProto node, int index, String name) {
        List<String> inputs = new ArrayList<>(node.getInputList());
        while (inputs.size() <= index) {
            inputs.add("");
        }
        inputs.set(index, name);
        return node.toBuilder().clearInput().addAllInput(inputs).build();
    }
}
