package dev.quantfleet.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a model in ONNX Runtime on the CPU with one thread and returns every output as floats. */
public final class OrtRunner {

    /** One named input: float or int64 values with a shape, or a bool scalar. */
    public record Input(String name, Object values, long[] shape) {
        public static Input floats(String name, float[] values, long... shape) {
            return new Input(name, values, shape);
        }

        public static Input longs(String name, long[] values, long... shape) {
            return new Input(name, values, shape);
        }

        public static Input boolScalar(String name, boolean value) {
            return new Input(name, value, new long[0]);
        }

        OnnxTensor toTensor(OrtEnvironment environment) throws OrtException {
            if (values instanceof float[] floats) {
                return OnnxTensor.createTensor(environment, FloatBuffer.wrap(floats), shape);
            }
            if (values instanceof long[] longs) {
                return OnnxTensor.createTensor(environment, LongBuffer.wrap(longs), shape);
            }
            return OnnxTensor.createTensor(environment, values);
        }
    }

    private OrtRunner() {
    }

    public static Map<String, float[]> run(byte[] model, Input... inputs) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = environment.createSession(model, options)) {
                return run(environment, session, inputs);
            }
        }
    }

    /** Runs a model file, so that ONNX Runtime itself reads any external data beside it. */
    public static Map<String, float[]> runFile(java.nio.file.Path modelFile, Input... inputs) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = environment.createSession(modelFile.toString(), options)) {
                return run(environment, session, inputs);
            }
        }
    }

    private static Map<String, float[]> run(OrtEnvironment environment, OrtSession session, Input... inputs)
            throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            for (Input input : inputs) {
                OnnxTensor tensor = input.toTensor(environment);
                tensors.add(tensor);
                feeds.put(input.name(), tensor);
            }
            Map<String, float[]> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> entry : result) {
                    outputs.put(entry.getKey(), toFloats((OnnxTensor) entry.getValue()));
                }
            }
            return outputs;
        } finally {
            for (OnnxTensor tensor : tensors) {
                tensor.close();
            }
        }
    }

    private static float[] toFloats(OnnxTensor tensor) {
        switch (tensor.getInfo().type) {
            case FLOAT -> {
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                float[] values = new float[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = buffer.get(i);
                }
                return values;
            }
            default -> throw new IllegalArgumentException("Output of type " + tensor.getInfo().type
                    + " is not supported by this test runner");
        }
    }
}
