package dev.quantfleet.engine.calibration;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.testing.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Calibrates the real fp32 all-MiniLM-L6-v2 model on a few texts. */
class MiniLmCalibrationTest {

    private static ModelProto model;
    private static Path tokenizer;

    @TempDir
    Path folder;

    @BeforeAll
    static void loadModel() {
        model = ModelFiles.load(ModelFiles.resourceFile(ModelFiles.MINILM_MODEL));
        tokenizer = ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER);
    }

    @Test
    void calibratesEveryFloatTensor() throws Exception {
        Path texts = Files.write(folder.resolve("texts.txt"), List.of(
                "Quantization maps float activations to eight-bit integers.",
                "The quick brown fox jumps over the lazy dog.",
                "ONNX Runtime runs the calibration samples one at a time."));
        List<String> tensors = CalibrationTargets.floatTensors(model);

        CalibrationStatistics statistics;
        float[] expectedOutputRange;
        try (SampleSource samples = SampleSources.open(texts, model, TextOptions.of(tokenizer))) {
            statistics = new Calibrator(model, tensors, 2, CalibrationParameters.DEFAULTS.numBins()).calibrate(samples);
            expectedOutputRange = outputRange(samples);
        }

        assertThat(tensors).hasSizeGreaterThan(300).doesNotContain("input_ids", "attention_mask");
        assertThat(statistics.tensors()).hasSize(tensors.size());
        assertThat(statistics.tensors().values()).allSatisfy(tensor -> {
            assertThat(tensor.count()).isPositive();
            assertThat(tensor.nanCount()).isZero();
        });
        TensorStatistics output = statistics.tensor("last_hidden_state");
        assertThat(output.min()).isCloseTo(expectedOutputRange[0], within(1e-4));
        assertThat(output.max()).isCloseTo(expectedOutputRange[1], within(1e-4));
        Range range = RangeEstimator.range(output, CalibrationMethod.Entropy, CalibrationParameters.DEFAULTS,
                ElementType.INT8, true);
        assertThat(range.max()).isPositive().isLessThanOrEqualTo((float) RangeEstimator.maxMagnitude(output));
    }

    /** Min and max of last_hidden_state over all samples, from the unmodified model. */
    private static float[] outputRange(SampleSource samples) throws Exception {
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        try (OrtSession session = OrtSessions.create(model.toByteArray(), 2, Calibrator.DEFAULT_OPTIMIZATION_LEVEL)) {
            for (Sample sample : samples) {
                Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
                        inputs.put(input.getKey(), input.getValue().toOnnxTensor(OrtSessions.environment()));
                    }
                    try (OrtSession.Result result = session.run(inputs)) {
                        FloatBuffer values = ((OnnxTensor) result.get("last_hidden_state").orElseThrow()).getFloatBuffer();
                        while (values.hasRemaining()) {
                            float value = values.get();
                            low = Math.min(low, value);
                            high = Math.max(high, value);
                        }
                    }
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
        return new float[] {low, high};
    }
}
