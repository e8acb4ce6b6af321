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
 *   <li>Graphs with a Conv or ConvTranspose, with or without attention blocks: every op type the
 *       QDQ quantizer supports except Add and Mul ({@link #ELEMENTWISE_KEPT_FLOAT}).</li>
 *   <li>Everything else: every op type the QDQ quantizer supports.</li>
 * </ul>
 * Dynamic format always uses MatMul and Gather.
 *
 * <p>Why convolutional graphs keep Add and Mul in float: exporters write many small steps
 * between two convolutions as Add and Mul, such as HardSwish as {@code x * Clip(x + 3, 0, 6) / 6},
 * Swish as {@code x * Sigmoid(x)}, a learnable scalar scale and shift, or an unfolded
 * normalization. A quantized Add or Mul rounds its output to its own 8-bit grid, so each of
 * them adds one more rounding of the activations, several per block instead of one per
 * convolution, and the errors add up through the network. Measured with the {@code a8w8} preset
 * and ONNX Runtime 1.29 by {@code PaddleOcrQuantizationStudy} (test sources) on the PP-OCRv4
 * text line recognizer (PP-LCNetV3 backbone and SVTR attention, 107 Add and 107 Mul), 60 clean
 * drawn lines: quantizing every supported op type gave a mean per-frame probability cosine to
 * fp32 of 0.946 and 47 of 60 lines exact (fp32: 60), without Add and Mul 0.979 and 59 of 60.
 * The loss came from the Add and Mul of the convolutional backbone; those of the attention
 * blocks cost nothing measurable. On the orientation classifier (a MobileNetV3, 300 lines, three
 * calibration sets) the mean absolute change of the class probability was 0.027 without and
 * 0.030 with Add and Mul quantized. Quantized Add and Mul remain available through
 * {@code opTypesToQuantize}.
 */
public final class DefaultOpTypes {

    /** Op types of transformer-like graphs. */
    public static final List<String> TRANSFORMER = List.of("Gather", "Gemm", "MatMul");

    /** Supported op types that graphs with convolutions keep in float by default. */
    public static final List<String> ELEMENTWISE_KEPT_FLOAT = List.of("Add", "Mul");

    private DefaultOpTypes() {
    }

    /** Returns the default op types for {@code model} in {@code format}, by the rule above. */
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
        Set<String> supported = new TreeSet<>(OpRegistry.standard().opTypes());
        if (hasConvolution) {
            supported.removeAll(ELEMENTWISE_KEPT_FLOAT);
        }
        return supported;
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
