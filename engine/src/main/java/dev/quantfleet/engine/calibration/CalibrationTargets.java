package dev.quantfleet.engine.calibration;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the tensors of a model that can be calibrated: graph inputs without an initializer and
 * outputs of main-graph nodes whose element type is float, in graph order. Outputs of
 * {@code Constant} nodes are left out, because they are weights.
 *
 * <p>ONNX models often carry no {@code value_info} for intermediate values, and Java has no ONNX
 * shape inference, so the element types come from ONNX Runtime: a copy of the model lists every
 * node output as a graph output without a type, and the session built over it (without graph
 * optimizations, and never run) reports the inferred types.
 */
public final class CalibrationTargets {

    private CalibrationTargets() {
    }

    /**
     * Returns the float graph inputs and float node outputs of {@code model}.
     *
     * @throws OrtException if ONNX Runtime cannot load the model
     */
    public static List<String> floatTensors(ModelProto model) throws OrtException {
        GraphProto graph = model.getGraph();
        GraphView view = new GraphView(graph);
        List<String> names = new ArrayList<>();
        for (ValueInfoProto input : graph.getInputList()) {
            if (view.isGraphInput(input.getName())
                    && input.getType().getTensorType().getElemType() == ElementType.FLOAT.code()) {
                names.add(input.getName());
            }
        }
        Map<String, NodeInfo> outputTypes = inferNodeOutputTypes(model);
        Set<String> seen = new HashSet<>(names);
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Constant") && node.getDomain().isEmpty()) {
                continue;
            }
            for (String output : node.getOutputList()) {
                NodeInfo info = outputTypes.get(output);
                if (!output.isEmpty() && seen.add(output) && info != null
                        && info.getInfo() instanceof TensorInfo tensor
                        && tensor.onnxType == TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
                    names.add(output);
                }
            }
        }
        return List.copyOf(names);
    }

    private static Map<String, NodeInfo> inferNodeOutputTypes(ModelProto model) throws OrtException {
        GraphProto graph = model.getGraph();
        Set<String> outputs = new LinkedHashSet<>();
        graph.getOutputList().forEach(output -> outputs.add(output.getName()));
        GraphProto.Builder listed = graph.toBuilder();
        for (NodeProto node : graph.getNodeList()) {
            for (String output : node.getOutputList()) {
                if (!output.isEmpty() && outputs.add(output)) {
                    listed.addOutput(ValueInfoProto.newBuilder().setName(output));
                }
            }
        }
        byte[] bytes = model.toBuilder().setGraph(listed).build().toByteArray();
        try (OrtSession session = OrtSessions.create(bytes, 1, OptLevel.NO_OPT)) {
            return session.getOutputInfo();
        }
    }
}
