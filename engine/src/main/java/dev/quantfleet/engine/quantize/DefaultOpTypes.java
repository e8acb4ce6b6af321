package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.quantize.ops.OpRegistry;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The op types quantized when a configuration leaves {@code opTypesToQuantize} unset, chosen by
 * one rule over the whole model, subgraphs included:
 * <ul>
 *   <li>Transformer-like (at least one MatMul or Gemm and no Conv or ConvTranspose): MatMul, Gemm
 *       and Gather only. Such graphs usually spell LayerNorm and GELU out in elementwise ops (Add,
 *       Mul, Div, Pow, Sqrt, Erf), and quantizing those costs accuracy without gaining integer
 *       kernels.</li>
 *   <li>Everything else (CNNs): every op type the QDQ quantizer supports.</li>
 * </ul>
 * Dynamic format always uses MatMul and Gather.
 */
public final class DefaultOpTypes {

    /** Op types of transformer-like graphs. */
    public static final List<String> TRANSFORMER = List.of("Gather", "Gemm", "MatMul");

    private DefaultOpTypes() {
    }

    public static Set<String> forModel(ModelProto model, QuantFormat format) {
        if (format == QuantFormat.Dynamic) {
            return new TreeSet<>(QuantConfig.DYNAMIC_OP_TYPES);
        }
        Set<String> present = new TreeSet<>();
        collect(model.getGraph(), present);
        boolean hasConvolution = present.contains("Conv") || present.contains("ConvTranspose");
        boolean hasMatrixProduct = present.contains("MatMul") || present.contains("Gemm");
        if (hasMatrixProduct && !hasConvolution) {
            return new TreeSet<>(TRANSFORMER);
        }
        return new TreeSet<>(OpRegistry.standard().opTypes());
    }

    /** Returns the op types to quantize under {@code config} for {@code model}. */
    public static Set<String> resolve(ModelProto model, QuantConfig config) {
        if (config.opTypesToQuantize() != null) {
            return new TreeSet<>(config.opTypesToQuantize());
        }
        return forModel(model, config.format());
    }

    private static void collect(GraphProto graph, Set<String> opTypes) {
        for (NodeProto node : graph.getNodeList()) {
            if (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx")) {
                opTypes.add(node.getOpType());
            }
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG()) {
                    collect(attribute.getG(), opTypes);
                }
                attribute.getGraphsList().forEach(body -> collect(body, opTypes));
            }
        }
    }
}
