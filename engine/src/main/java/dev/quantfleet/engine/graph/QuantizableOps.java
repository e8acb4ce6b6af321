package dev.quantfleet.engine.graph;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Operator types of the default ONNX domain that the QDQ quantizer places QuantizeLinear /
 * DequantizeLinear pairs around. Inspection counts nodes against this list; keep it in step with
 * what the quantizer handles.
 */
public final class QuantizableOps {

    /** Op types in alphabetical order; an unmodifiable set. */
    public static final Set<String> OP_TYPES = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(
            "Add", "ArgMax", "AveragePool", "Clip", "Concat", "Conv", "ConvTranspose", "Flatten", "Gather", "Gemm",
            "GlobalAveragePool", "InstanceNormalization", "LayerNormalization", "LeakyRelu", "MatMul", "MaxPool",
            "Mul", "Pad", "Relu", "Reshape", "Resize", "Sigmoid", "Slice", "Softmax", "Split", "Squeeze",
            "Transpose", "Unsqueeze", "Where")));

    private QuantizableOps() {
    }

    /** Returns whether a node of {@code domain} and {@code opType} is on the list. */
    public static boolean isQuantizable(String domain, String opType) {
        return (domain.isEmpty() || domain.equals("ai.onnx")) && OP_TYPES.contains(opType);
    }
}
