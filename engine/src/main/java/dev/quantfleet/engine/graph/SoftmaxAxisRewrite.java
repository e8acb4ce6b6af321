package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.graph.ConversionStep.Result;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;

import java.util.List;
import java.util.OptionalInt;

/**
 * Softmax, LogSoftmax and Hardmax at opset 13. Before 13 the input is coerced to 2-D at
 * {@code axis} (default 1): the dims before it form the rows, the dims from it on form one
 * row of values to normalize. From 13 on only the single dimension {@code axis} (default -1) is
 * normalized. The two agree when {@code axis} is the last dimension; then the node stays as it
 * is. Otherwise the old behavior is rebuilt around the new operator:
 *
 * <pre>
 * before:  x ── Softmax(axis=a, opset 11) ── y
 *
 * after:   x ── Flatten(axis=a) ── x_2d ── Softmax(axis=-1) ── y_2d ── Reshape ── y
 *          x ── Shape ── x_shape ─────────────────────────────────────┘
 * </pre>
 *
 * The rank comes from the input's type information; when it is unknown, only {@code axis=-1}
 * keeps the node unchanged and every other axis is rebuilt, which is correct for any rank.
 */
final class SoftmaxAxisRewrite {

    /** Reshape gained allowzero at 14; 1 keeps a zero-sized dimension of x from being read as "copy". */
    private static final long RESHAPE_ALLOWZERO_VERSION = 14;

    private SoftmaxAxisRewrite() {
    }

    static Result apply(NodeProto node, RewriteScope scope) {
        long axis = OpsetRewrites.intAttribute(node, "axis").orElse(1L);
        String input = node.getInput(0);
        // NOTE: the rank comes only from recorded shapes. Without value_info, a positive last axis
        // (PyTorch writes axis=3 in MiniLM) gets the Flatten/Reshape form although it is not needed.
        OptionalInt rank = scope.rank(input);
        boolean lastAxis = axis == -1
                || (rank.isPresent() && (axis < 0 ? axis + rank.getAsInt() : axis) == rank.getAsInt() - 1);
        if (lastAxis) {
            // An absent axis here means 1 on a 2-D input, which the new default -1 names as well.
            return Result.unchanged(node);
        }

        String base = OpsetRewrites.baseName(node);
        String output = node.getOutput(0);
        String shape = scope.allocate(base + "_input_shape");
        String flattened = scope.allocate(base + "_input_2d");
        String normalized = scope.allocate(base + "_output_2d");

        NodeProto shapeNode = NodeProto.newBuilder()
                .setOpType("Shape").setName(scope.allocate(base + "_shape"))
                .addInput(input).addOutput(shape)
                .build();
        NodeProto flattenNode = NodeProto.newBuilder()
                .setOpType("Flatten").setName(scope.allocate(base + "_flatten"))
                .addInput(input).addOutput(flattened)
                .addAttribute(intAttribute("axis", axis))
                .build();
        NodeProto normalizeNode = OpsetRewrites.withAttribute(node, intAttribute("axis", -1)).toBuilder()
                .setInput(0, flattened)
                .setOutput(0, normalized)
                .build();
        NodeProto.Builder reshapeNode = NodeProto.newBuilder()
                .setOpType("Reshape").setName(scope.allocate(base + "_reshape"))
                .addInput(normalized).addInput(shape).addOutput(output);
        if (scope.targetVersion() >= RESHAPE_ALLOWZERO_VERSION) {
            reshapeNode.addAttribute(intAttribute("allowzero", 1));
        }
        return new Result(normalizeNode, List.of(shapeNode, flattenNode), List.of(reshapeNode.build()), true);
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
