package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.util.Optional;
import java.util.Set;

/**
 * Counts the matrix multiplications that a model runs in more than 8 bits, read from its graph
 * as saved (before ONNX Runtime's optimizations), so that models of every origin are counted
 * alike: the search winners, the default configuration and the int8 reference of another
 * quantizer.
 *
 * <p>A {@code MatMul} or {@code Gemm} node of the main graph counts when none of its first two
 * inputs comes from a {@code DequantizeLinear} (it runs in float), or when such a
 * {@code DequantizeLinear} reads a type of more than 8 bits (16-bit activations). Integer
 * kernels such as {@code MatMulInteger}, {@code QLinearMatMul}, {@code MatMulIntegerToFloat} and
 * {@code DynamicQuantizeMatMul} are quantized and not counted. Embedding tables ({@code Gather})
 * are not counted. In the fp32 all-MiniLM-L6-v2 every one of the 48 MatMul nodes counts.
 */
final class HigherPrecisionNodes {

    private static final Set<String> MATRIX_OP_TYPES = Set.of("MatMul", "Gemm");
    private static final String DEQUANTIZE = "DequantizeLinear";
    private static final String QUANTIZE = "QuantizeLinear";

    private HigherPrecisionNodes() {
    }

    /** Returns the number of MatMul and Gemm nodes of {@code model} that run in float or in 16 bits. */
    static int count(ModelProto model) {
        GraphView graph = new GraphView(model.getGraph());
        int count = 0;
        for (int index = 0; index < graph.nodeCount(); index++) {
            NodeProto node = graph.node(index);
            if (MATRIX_OP_TYPES.contains(node.getOpType()) && !runsIn8Bits(graph, node)) {
                count++;
            }
        }
        return count;
    }

    private static boolean runsIn8Bits(GraphView graph, NodeProto node) {
        boolean dequantized = false;
        for (int input = 0; input < Math.min(2, node.getInputCount()); input++) {
            Optional<NodeProto> producer = graph.producer(node.getInput(input)).map(graph::node);
            if (producer.isPresent() && producer.get().getOpType().equals(DEQUANTIZE)) {
                dequantized = true;
                if (quantizedBits(graph, producer.get()) > 8) {
                    return false;
                }
            }
        }
        return dequantized;
    }

    /**
     * Returns the bits of the integer type that {@code dequantize} reads: the type of its zero
     * point, else of its input when that is an initializer or the output of a QuantizeLinear with
     * a zero point; 8 (ONNX's default, uint8) when none of them is known.
     */
    private static int quantizedBits(GraphView graph, NodeProto dequantize) {
        if (dequantize.getInputCount() > 2 && !dequantize.getInput(2).isEmpty()) {
            Optional<TensorProto> zeroPoint = graph.initializer(dequantize.getInput(2));
            if (zeroPoint.isPresent()) {
                return ElementType.fromCode(zeroPoint.get().getDataType()).bits();
            }
        }
        Optional<TensorProto> quantized = graph.initializer(dequantize.getInput(0));
        if (quantized.isPresent()) {
            return ElementType.fromCode(quantized.get().getDataType()).bits();
        }
        Optional<NodeProto> quantize = graph.producer(dequantize.getInput(0)).map(graph::node);
        if (quantize.isPresent() && quantize.get().getOpType().equals(QUANTIZE) && quantize.get().getInputCount() > 2) {
            Optional<TensorProto> zeroPoint = graph.initializer(quantize.get().getInput(2));
            if (zeroPoint.isPresent()) {
                return ElementType.fromCode(zeroPoint.get().getDataType()).bits();
            }
        }
        return 8;
    }
}
