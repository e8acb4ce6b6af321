package dev.quantfleet.engine.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test helper that measures min/max activation ranges by running ONNX Runtime with the tensors to
 * calibrate added as graph outputs.
 */
final class MinMaxCalibration {

    private MinMaxCalibration() {
    }

    static ModelProto withOutputs(ModelProto model, List<String> tensors) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> existing = new HashSet<>();
        graph.getOutputList().forEach(output -> existing.add(output.getName()));
        for (String tensor : tensors) {
            if (existing.add(tensor)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()))));
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    static Map<String, ActivationRange> ranges(ModelProto model, List<MiniLm.Tokens> samples) throws OrtException {
        List<String> tensors = QdqQuantizer.tensorsToCalibrate(model);
        Map<String, float[]> ranges = new HashMap<>();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = MiniLm.session(withOutputs(model, tensors))) {
            for (MiniLm.Tokens sample : samples) {
                Map<String, OnnxTensor> feeds = sample.feeds(environment);
                try (OrtSession.Result result = session.run(feeds, new HashSet<>(tensors))) {
                    for (Map.Entry<String, OnnxValue> output : result) {
                        FloatBuffer values = ((OnnxTensor) output.getValue()).getFloatBuffer();
                        float[] range = ranges.computeIfAbsent(output.getKey(),
                                key -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
                        while (values.hasRemaining()) {
                            float value = values.get();
                            range[0] = Math.min(range[0], value);
                            range[1] = Math.max(range[1], value);
                        }
                    }
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        }
        Map<String, ActivationRange> result = new HashMap<>();
        ranges.forEach((tensor, range) -> result.put(tensor, new ActivationRange(range[0], range[1])));
        return result;
    }
}
