package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;

import java.util.Optional;
import java.util.function.BiFunction;

/** Applies a rewrite to every {@code If}, {@code Loop} and {@code Scan} body that a node holds. */
final class SubgraphBodies {

    private SubgraphBodies() {
    }

    /**
     * Returns the node with each graph attribute replaced by {@code rewriteBody(body, bodyScope)},
     * or empty when the node contains no subgraph. The body scope names the owner for reports,
     * e.g. {@code main/If 'cond'.then_branch}.
     */
    static Optional<NodeProto> rewrite(NodeProto node, String scope,
                                       BiFunction<GraphProto, String, GraphProto> rewriteBody) {
        if (node.getAttributeList().stream().noneMatch(attribute -> attribute.hasG() || attribute.getGraphsCount() > 0)) {
            return Optional.empty();
        }
        NodeProto.Builder builder = node.toBuilder();
        for (int a = 0; a < node.getAttributeCount(); a++) {
            AttributeProto attribute = node.getAttribute(a);
            String bodyScope = scope + "/" + node.getOpType() + " '" + node.getName() + "'." + attribute.getName();
            if (attribute.hasG()) {
                builder.setAttribute(a, attribute.toBuilder().setG(rewriteBody.apply(attribute.getG(), bodyScope)));
            }
            for (int g = 0; g < attribute.getGraphsCount(); g++) {
                GraphProto body = rewriteBody.apply(attribute.getGraphs(g), bodyScope + "[" + g + "]");
                builder.setAttribute(a, builder.getAttribute(a).toBuilder().setGraphs(g, body));
            }
        }
        return Optional.of(builder.build());
    }
}
