package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.Onnx.NodeProto;

import java.util.List;

/** The rewrite that carries a node of one op type across the opset version where its signature changed. */
@FunctionalInterface
interface ConversionStep {

    /**
     * Returns the node in its form at the new version, with any nodes that must run before or
     * after it.
     *
     * @throws StepRejectedException when the node cannot be carried across, with the reason as message
     */
    Result apply(NodeProto node, RewriteScope scope) throws StepRejectedException;

    /**
     * A rewritten node.
     *
     * @param node the node itself, which later steps continue to rewrite
     * @param before nodes to insert before it
     * @param after nodes to insert after it
     * @param changed whether anything differs from the input node
     */
    record Result(NodeProto node, List<NodeProto> before, List<NodeProto> after, boolean changed) {
        static Result unchanged(NodeProto node) {
            return new Result(node, List.of(), List.of(), false);
        }

        static Result changed(NodeProto node) {
            return new Result(node, List.of(), List.of(), true);
        }
    }

    /** Thrown by a step that cannot carry a node across its version. */
    final class StepRejectedException extends Exception {
        StepRejectedException(String reason) {
            super(reason);
        }
    }
}
