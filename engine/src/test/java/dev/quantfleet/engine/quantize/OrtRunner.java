package dev.quantfleet.engine.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a model in ONNX Runtime on the CPU with float or int64 inputs and returns every output. */
final class OrtRunner {

    /** A dense tensor for tests: row-major values with their dims; exactly one of the arrays is set. */
    record Tensor(long[] dims, float[] floats, long[] longs) {

        static Tensor ofFloats(float[] values, long... dims) {
            return new Tensor(dims, values, null);
        }

        static Tensor ofLongs(long[] values, long... dims) {
            return new Tensor(dims, null, values);
        }
    }

    private OrtRunner() {
    }

    static Map<String, Tensor> run(ModelProto model, Map<String, Tensor> inputs) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(model.toByteArray(), options)) {
                return run(environment, session, inputs);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    static Map<String, Tensor> run(OrtEnvironment environment, OrtSession session, Map<String, Tensor> inputs)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                Tensor tensor = input.getValue();
                OnnxTensor value = tensor.floats() != null
                        ? OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.floats()), tensor.dims())
                        : OnnxTensor.createTensor(environment, LongBuffer.wrap(tensor.longs()), tensor.dims());
                feeds.put(input.getKey(), value);
            }
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    outputs.put(output.getKey(), copy((OnnxTensor) output.getValue()));
                }
            }
            return outputs;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static Tensor copy(OnnxTensor tensor) {
        long[] dims = tensor.getInfo().getShape();
        switch (tensor.getInfo().type) {
            case FLOAT -> {
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return Tensor.ofFloats(values, dims);
            }
            case INT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                long[] values = new long[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = buffer.get(i);
                }
                return Tensor.ofLongs(values, dims);
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                long[] values = new long[buffer.remaining()];
                buffer.get(values);
                return Tensor.ofLongs(values, dims);
            }
            default -> throw new IllegalArgumentException("Output type " + tensor.getInfo().type
                    + " is not read by this test helper; cast the output to float, int32 or int64");
        }
    }
}
