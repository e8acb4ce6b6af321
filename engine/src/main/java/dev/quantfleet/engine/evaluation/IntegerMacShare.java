package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Estimates the share of a model's multiply-accumulates (MACs) that run in integer arithmetic.
 *
 * <p>MACs are counted for the main-graph nodes listed below from the shapes of one sample's run
 * (nodes inside If, Loop and Scan bodies are not counted). To get the shapes, the model is run
 * once in a copy where every non-initializer input and output of those nodes is also a graph
 * output, with optimizations off. Initializer shapes come from their dims.
 * <pre>
 *   MatMul-like  (MatMul, MatMulInteger, QLinearMatMul, MatMulIntegerToFloat,
 *                 DynamicQuantizeMatMul):  MACs = elements(Y) * K, K = last dim of A
 *   Gemm:                                  MACs = elements(Y) * K, K = A dim 0 if transA, else dim 1
 *   Conv-like    (Conv, ConvInteger, QLinearConv):
 *                                          MACs = elements(Y) * (W dims 1 and later, multiplied)
 * </pre>
 * A node counts as integer when its op type is a quantized form (every one above except MatMul,
 * Gemm and Conv), or when it is a MatMul, Gemm or Conv whose first two inputs are both outputs
 * of DequantizeLinear nodes that dequantize 8-bit tensors: ONNX Runtime's CPU provider fuses
 * that QDQ form into an integer kernel. It has no such kernels for 16-bit activations or 4-bit
 * weights and runs those nodes in float after dequantizing, so they count as float.
 *
 * <p>NOTE: other execution providers may run 16-bit or 4-bit QDQ nodes in integer arithmetic.
 * This estimate follows the CPU provider.
 */
final class IntegerMacShare {

    private static final Set<String> QUANTIZED_MATMULS = Set.of("MatMulInteger", "QLinearMatMul",
            "MatMulIntegerToFloat", "DynamicQuantizeMatMul");
    private static final Set<String> QUANTIZED_CONVS = Set.of("ConvInteger", "QLinearConv");
    private static final Set<String> FLOAT_MAC_OPS = Set.of("MatMul", "Gemm", "Conv");

    private IntegerMacShare() {
    }

    /**
     * MACs of the counted nodes, split into integer and float.
     *
     * @param integerMacs MACs of nodes that run in integer arithmetic
     * @param totalMacs   MACs of every counted node
     */
    record MacCount(long integerMacs, long totalMacs) {

        /** {@code integerMacs / totalMacs}; 0 for a model without counted nodes. */
        double share() {
            return totalMacs == 0 ? 0 : (double) integerMacs / totalMacs;
        }
    }

    /**
     * Counts the MACs of {@code model} on {@code sample}.
     *
     * @throws OrtException if ONNX Runtime cannot run the probe copy of the model
     */
    static MacCount count(ModelProto model, Sample sample, int threads) throws OrtException {
        GraphView view = new GraphView(model.getGraph());
        Map<String, long[]> shapes = shapes(model, view, sample, threads);
        long integerMacs = 0;
        long totalMacs = 0;
        for (NodeProto node : model.getGraph().getNodeList()) {
            Optional<Long> macs = macs(node, shapes);
            if (macs.isPresent()) {
                totalMacs += macs.get();
                integerMacs += isInteger(node, view) ? macs.get() : 0;
            }
        }
        return new MacCount(integerMacs, totalMacs);
    }

    private static Map<String, long[]> shapes(ModelProto model, GraphView view, Sample sample, int threads)
            throws OrtException {
        Map<String, long[]> shapes = new HashMap<>();
        for (TensorProto initializer : model.getGraph().getInitializerList()) {
            shapes.put(initializer.getName(), initializer.getDimsList().stream().mapToLong(Long::longValue).toArray());
        }
        for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
            shapes.put(input.getKey(), input.getValue().shape());
        }
        Set<String> probed = new LinkedHashSet<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (isCounted(node)) {
                probed.add(node.getInput(0));
                probed.add(node.getInput(weightIndex(node)));
                probed.add(node.getOutput(0));
            }
        }
        probed.removeIf(shapes::containsKey);
        if (probed.isEmpty()) {
            return shapes;
        }
        // The probe reads only shapes, so it runs on the CPU provider whatever provider evaluates the model.
        try (OrtSession session = OrtSessions.create(ModelIo.toBytes(withOutputs(model, probed)), threads,
                OptLevel.NO_OPT)) {
            shapes.putAll(ModelRuns.runForShapes(session, sample));
        }
        return shapes;
    }

    /** Returns the model with {@code names} added as graph outputs without a type, which ONNX Runtime infers. */
    private static ModelProto withOutputs(ModelProto model, Set<String> names) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> existing = new LinkedHashSet<>();
        graph.getOutputList().forEach(output -> existing.add(output.getName()));
        for (String name : names) {
            if (!existing.contains(name)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(name));
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    private static boolean isCounted(NodeProto node) {
        String op = node.getOpType();
        return FLOAT_MAC_OPS.contains(op) || QUANTIZED_MATMULS.contains(op) || QUANTIZED_CONVS.contains(op);
    }

    private static int weightIndex(NodeProto node) {
        return node.getOpType().startsWith("QLinear") ? 3 : 1;
    }

    private static Optional<Long> macs(NodeProto node, Map<String, long[]> shapes) {
        if (!isCounted(node)) {
            return Optional.empty();
        }
        long[] data = shapes.get(node.getInput(0));
        long[] weight = shapes.get(node.getInput(weightIndex(node)));
        long[] output = shapes.get(node.getOutput(0));
        if (data == null || weight == null || output == null || data.length == 0) {
            throw new IllegalStateException("Cannot count the multiply-accumulates of " + node.getOpType() + " node '"
                    + node.getName() + "': the shape of an input or output is unknown after running one sample");
        }
        long reduced;
        String op = node.getOpType();
        if (op.equals("Conv") || QUANTIZED_CONVS.contains(op)) {
            reduced = 1;
            for (int axis = 1; axis < weight.length; axis++) {
                reduced *= weight[axis];
            }
        } else if (op.equals("Gemm")) {
            reduced = transA(node) ? data[0] : data[data.length - 1];
        } else {
            reduced = data[data.length - 1];
        }
        return Optional.of(elements(output) * reduced);
    }

    private static boolean transA(NodeProto node) {
        return node.getAttributeList().stream().anyMatch(attribute -> attribute.getName().equals("transA")
                && attribute.getI() != 0);
    }

    private static long elements(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    private static boolean isInteger(NodeProto node, GraphView view) {
        String op = node.getOpType();
        if (QUANTIZED_MATMULS.contains(op) || QUANTIZED_CONVS.contains(op)) {
            return true;
        }
        return isDequantized(node.getInput(0), view) && isDequantized(node.getInput(1), view);
    }

    private static boolean isDequantized(String value, GraphView view) {
        return view.producer(value)
                .map(view::node)
                .filter(node -> node.getOpType().equals("DequantizeLinear"))
                .map(dequantize -> isEightBit(quantizedType(dequantize, view)))
                .orElse(false);
    }

    /**
     * Returns the element type that {@code dequantize} reads: that of its zero point, else that of
     * its input when it is an initializer or comes from a QuantizeLinear (zero point or
     * {@code output_dtype}). Without any of these it is uint8, the operators' default.
     */
    private static int quantizedType(NodeProto dequantize, GraphView view) {
        Optional<Integer> type = initializerType(dequantize, 2, view)
                .or(() -> view.initializer(dequantize.getInput(0)).map(TensorProto::getDataType));
        if (type.isPresent()) {
            return type.get();
        }
        return view.producer(dequantize.getInput(0)).map(view::node)
                .filter(node -> node.getOpType().equals("QuantizeLinear"))
                .flatMap(quantize -> initializerType(quantize, 2, view).or(() -> outputDtype(quantize)))
                .orElse(ElementType.UINT8.code());
    }

    private static Optional<Integer> initializerType(NodeProto node, int input, GraphView view) {
        if (node.getInputCount() <= input || node.getInput(input).isEmpty()) {
            return Optional.empty();
        }
        return view.initializer(node.getInput(input)).map(TensorProto::getDataType);
    }

    private static Optional<Integer> outputDtype(NodeProto quantize) {
        return quantize.getAttributeList().stream()
                .filter(attribute -> attribute.getName().equals("output_dtype") && attribute.getI() != 0)
                .map(attribute -> (int) attribute.getI()).findFirst();
    }

    private static boolean isEightBit(int elementType) {
        return elementType == ElementType.INT8.code() || elementType == ElementType.UINT8.code();
    }
}
