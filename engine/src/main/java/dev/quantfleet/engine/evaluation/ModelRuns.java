package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a session on samples and keeps the float outputs. */
final class ModelRuns {

    private ModelRuns() {
    }

    /** Runs every sample of {@code samples} in order. */
    static List<EvaluatedSample> runAll(OrtSession session, Iterable<Sample> samples) throws OrtException {
        List<EvaluatedSample> evaluated = new ArrayList<>();
        for (Sample sample : samples) {
            evaluated.add(run(session, sample));
        }
        return evaluated;
    }

    /** Runs one sample and copies its float outputs, in the session's output order. */
    static EvaluatedSample run(OrtSession session, Sample sample) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            OrtEnvironment environment = OrtSessions.environment();
            for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
                inputs.put(input.getKey(), input.getValue().toOnnxTensor(environment));
            }
            List<OutputTensor> outputs = new ArrayList<>();
            try (OrtSession.Result result = OrtSessions.run(session, inputs)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    floatOutput(output.getKey(), output.getValue()).ifPresent(outputs::add);
                }
            }
            return new EvaluatedSample(sample, outputs);
        } finally {
            OnnxValue.close(inputs);
        }
    }

    /** Runs one sample and returns the shape of every tensor output by name. */
    static Map<String, long[]> runForShapes(OrtSession session, Sample sample) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
                inputs.put(input.getKey(), input.getValue().toOnnxTensor(OrtSessions.environment()));
            }
            Map<String, long[]> shapes = new HashMap<>();
            try (OrtSession.Result result = OrtSessions.run(session, inputs)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    if (output.getValue().getInfo() instanceof TensorInfo info) {
                        shapes.put(output.getKey(), info.getShape());
                    }
                }
            }
            return shapes;
        } finally {
            OnnxValue.close(inputs);
        }
    }

    private static java.util.Optional<OutputTensor> floatOutput(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            return java.util.Optional.empty();
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return java.util.Optional.of(new OutputTensor(name, tensor.getInfo().getShape(), values));
    }
}
