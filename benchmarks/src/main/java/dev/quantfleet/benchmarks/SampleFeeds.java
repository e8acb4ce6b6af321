package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads text samples through the engine's readers into memory and turns them into ONNX Runtime inputs. */
public final class SampleFeeds {

    private SampleFeeds() {
    }

    /**
     * Reads every line of {@code textFile} as a tokenized sample for {@code model}, with
     * {@link SampleSources#open}, the reader that calibration uses.
     */
    public static List<Sample> read(Path textFile, ModelProto model, TextOptions options) {
        List<Sample> samples = new ArrayList<>();
        try (SampleSource source = SampleSources.open(textFile, model, options)) {
            source.forEach(samples::add);
        }
        return samples;
    }

    /** Creates one ONNX Runtime tensor per input of {@code sample}; the caller closes them with {@link #close}. */
    public static Map<String, OnnxTensor> toOnnxTensors(Sample sample) throws OrtException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
                tensors.put(input.getKey(), input.getValue().toOnnxTensor(OrtSessions.environment()));
            }
            return tensors;
        } catch (OrtException | RuntimeException e) {
            close(tensors);
            throw e;
        }
    }

    public static void close(Map<String, OnnxTensor> tensors) {
        tensors.values().forEach(OnnxTensor::close);
    }
}
