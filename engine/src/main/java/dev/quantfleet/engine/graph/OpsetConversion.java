package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of {@link OpsetConverter#convert}.
 *
 * @param model the converted model; the input model itself when both versions are equal
 * @param fromVersion default-domain opset version of the input
 * @param toVersion default-domain opset version of {@code model}
 * @param rewrittenNodesByOpType nodes whose form changed, by their op type in the input, sorted;
 *     nodes that are valid unchanged at {@code toVersion} are not counted
 */
public record OpsetConversion(ModelProto model, long fromVersion, long toVersion,
        Map<String, Integer> rewrittenNodesByOpType) {

    public OpsetConversion {
        rewrittenNodesByOpType = Collections.unmodifiableMap(new TreeMap<>(rewrittenNodesByOpType));
    }

    /** Total number of rewritten nodes. */
    public int rewrittenNodeCount() {
        return rewrittenNodesByOpType.values().stream().mapToInt(Integer::intValue).sum();
    }
}
