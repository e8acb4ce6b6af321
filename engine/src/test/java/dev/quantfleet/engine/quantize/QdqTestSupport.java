package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.Range;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.quantize.OrtRunner.Tensor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Measures ranges and compares outputs of float and quantized test models in ONNX Runtime. */
final class QdqTestSupport {

    private QdqTestSupport() {
    }

    /** Min/max of {@code tensors} (default: every tensor to calibrate) over the given input sets. */
    static ActivationRanges measureRanges(ModelProto model, List<Map<String, Tensor>> inputSets, List<String> tensors) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().forEach(output -> outputs.add(output.getName()));
        for (String tensor : tensors) {
            if (outputs.add(tensor)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()))));
            }
        }
        ModelProto augmented = model.toBuilder().setGraph(graph).build();
        Map<String, float[]> ranges = new HashMap<>();
        for (Map<String, Tensor> inputs : inputSets) {
            Map<String, Tensor> results = OrtRunner.run(augmented, inputs);
            for (String tensor : tensors) {
                float[] range = ranges.computeIfAbsent(tensor,
                        key -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
                for (float value : results.get(tensor).floats()) {
                    range[0] = Math.min(range[0], value);
                    range[1] = Math.max(range[1], value);
                }
            }
        }
        Map<String, Range> result = new HashMap<>();
        ranges.forEach((tensor, range) -> result.put(tensor, new Range(range[0], range[1])));
        return ActivationRanges.of(result);
    }

    static ActivationRanges measureRanges(ModelProto model, List<Map<String, Tensor>> inputSets) {
        return measureRanges(model, inputSets, QdqQuantizer.tensorsToCalibrate(model));
    }

    /** Largest absolute difference between two outputs, relative to the largest magnitude of {@code reference}. */
    static double relativeError(float[] reference, float[] candidate) {
        double maxDifference = 0;
        double maxMagnitude = 1e-12;
        for (int i = 0; i < reference.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(reference[i] - candidate[i]));
            maxMagnitude = Math.max(maxMagnitude, Math.abs(reference[i]));
        }
        return maxDifference / maxMagnitude;
    }

    /** Relative error of output {@code output} of the quantized model against the float model on {@code inputs}. */
    static double outputError(ModelProto floatModel, ModelProto quantizedModel, Map<String, Tensor> inputs,
                              String output) {
        float[] reference = OrtRunner.run(floatModel, inputs).get(output).floats();
        float[] candidate = OrtRunner.run(quantizedModel, inputs).get(output).floats();
        return relativeError(reference, candidate);
    }
}
