package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.graph.ConversionStep.Result;
import dev.quantfleet.engine.graph.ConversionStep.StepRejectedException;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.Optional;

/**
 * Carries Upsample and Resize across their signature changes:
 *
 * <pre>
 * opset 9:   Upsample(x; scales=[...])      becomes  Upsample(x, scales_init)
 * opset 10:  Upsample(x, scales)            becomes  Resize(x, scales)              (Upsample is deprecated)
 * opset 11:  Resize(x, scales)              becomes  Resize(x, roi_init, scales;
 *                                                     coordinate_transformation_mode=asymmetric,
 *                                                     nearest_mode=floor or ceil)
 * opset 13:  Resize with tf_half_pixel_for_nn is refused (the mode was removed)
 * </pre>
 *
 * Resize before 11 maps output coordinate {@code x} to input coordinate {@code x / scale}
 * (asymmetric). ONNX Runtime's nearest mode there truncates when upsampling and rounds up when
 * downsampling an axis, so the rewrite sets nearest_mode floor when no scale is below 1 and ceil
 * when none is above 1; mixed or non-constant scales are refused.
 */
final class ResizeRewrites {

    private ResizeRewrites() {
    }

    /** Upsample at 9: the scales attribute becomes a float input. */
    static Result upsampleScalesToInput(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<AttributeProto> scales = OpsetRewrites.attribute(node, "scales");
        if (scales.isEmpty()) {
            throw new StepRejectedException("it has no 'scales' attribute, which Upsample before opset 9 requires");
        }
        float[] values = new float[scales.get().getFloatsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scales.get().getFloats(i);
        }
        String base = OpsetRewrites.baseName(node) + "_scales";
        String input = scope.addConstant(base, TensorCodec.fromFloats(base, new long[] {values.length}, values));
        return Result.changed(OpsetRewrites.withInput(OpsetRewrites.withoutAttribute(node, "scales"), 1, input));
    }

    /** Upsample at 10: deprecated; Resize at 10 has the same inputs, mode attribute and semantics. */
    static Result upsampleBecomesResize(NodeProto node, RewriteScope scope) {
        return Result.changed(node.toBuilder().setOpType("Resize").build());
    }

    /** Resize at 11: inserts an empty roi before scales and states the coordinate mapping of Resize-10. */
    static Result resizeAddsRoi(NodeProto node, RewriteScope scope) throws StepRejectedException {
        if (node.getInputCount() < 2 || node.getInput(1).isEmpty()) {
            throw new StepRejectedException("it has no scales input, which Resize before opset 11 requires");
        }
        String scalesName = node.getInput(1);
        String mode = OpsetRewrites.stringAttribute(node, "mode").orElse("nearest");
        NodeProto.Builder builder = node.toBuilder();
        if (mode.equals("nearest")) {
            builder.addAttribute(OpsetRewrites.stringAttribute("nearest_mode", nearestMode(scalesName, scope)));
        }
        builder.addAttribute(OpsetRewrites.stringAttribute("coordinate_transformation_mode", "asymmetric"));

        String roiBase = OpsetRewrites.baseName(node) + "_roi";
        TensorProto emptyRoi = TensorCodec.fromFloats(roiBase, new long[] {0}, new float[0]);
        String roi = scope.addConstant(roiBase, emptyRoi);
        builder.clearInput().addInput(node.getInput(0)).addInput(roi).addInput(scalesName);
        return Result.changed(builder.build());
    }

    /** Resize at 13: refuses tf_half_pixel_for_nn, which opset 13 removed without a same-result replacement. */
    static Result resizeRejectsRemovedMode(NodeProto node, RewriteScope scope) throws StepRejectedException {
        Optional<String> mode = OpsetRewrites.stringAttribute(node, "coordinate_transformation_mode");
        if (mode.isPresent() && mode.get().equals("tf_half_pixel_for_nn")) {
            throw new StepRejectedException("coordinate_transformation_mode tf_half_pixel_for_nn was removed at opset 13");
        }
        return Result.unchanged(node);
    }

    private static String nearestMode(String scalesName, RewriteScope scope) throws StepRejectedException {
        Optional<TensorProto> scales = scope.constant(scalesName);
        if (scales.isEmpty() || !TensorCodec.elementType(scales.get()).isFloatingPoint()) {
            throw new StepRejectedException("its nearest rounding depends on whether each scale is below 1, but scales '"
                    + scalesName + "' is not a constant float tensor");
        }
        boolean upsamples = false;
        boolean downsamples = false;
        for (float scale : TensorCodec.toFloats(scales.get())) {
            upsamples |= scale > 1f;
            downsamples |= scale < 1f;
        }
        if (upsamples && downsamples) {
            throw new StepRejectedException("it upsamples some axes and downsamples others in nearest mode, which"
                    + " rounds down and up respectively before opset 11 and has no single nearest_mode after");
        }
        return downsamples ? "ceil" : "floor";
    }
}
