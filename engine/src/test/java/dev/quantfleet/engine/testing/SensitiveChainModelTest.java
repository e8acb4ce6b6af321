package dev.quantfleet.engine.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.metrics.VectorSimilarity;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.runtime.OrtSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the property the planted-answer search tests rely on: one node, and only that one, breaks. */
class SensitiveChainModelTest {

    @TempDir
    static Path directory;

    private static ModelProto model;
    private static CalibrationStatistics statistics;
    private static Path inputs;

    @BeforeAll
    static void calibrate() throws Exception {
        model = SensitiveChainModel.build(7);
        inputs = SensitiveChainModel.writeInputs(directory.resolve("x.npy"), 64, 11);
        try (SampleSource samples = SampleSources.open(inputs, model, null)) {
            statistics = new Calibrator(model, QdqQuantizer.tensorsToCalibrate(model), 1, 2048).calibrate(samples);
        }
    }

    @Test
    void a8w8BreaksTheOutput() throws Exception {
        assertThat(meanCosine(Presets.byName("a8w8"))).isLessThan(0.9);
    }

    @Test
    void a16w8AlsoBreaksTheOutput() throws Exception {
        assertThat(meanCosine(Presets.byName("a16w8"))).isLessThan(0.99);
    }

    @Test
    void keepingTheSensitiveNodeInFloatRestoresIt() throws Exception {
        QuantConfig config = Presets.byName("a8w8").toBuilder()
                .nodeOverrides(Map.of(SensitiveChainModel.SENSITIVE_NODE, NodeOverride.keepInFloat())).build();

        assertThat(meanCosine(config)).isGreaterThan(0.999);
    }

    @Test
    void keepingAnotherNodeInFloatDoesNot() throws Exception {
        QuantConfig config = Presets.byName("a8w8").toBuilder()
                .nodeOverrides(Map.of("/layer.3/MatMul", NodeOverride.keepInFloat())).build();

        assertThat(meanCosine(config)).isLessThan(0.9);
    }

    private static double meanCosine(QuantConfig config) throws OrtException {
        ModelProto quantized = QdqQuantizer.quantize(model, config, ActivationRanges.fromStatistics(statistics, config))
                .model();
        List<float[]> expected = outputs(model);
        List<float[]> actual = outputs(quantized);
        double sum = 0;
        for (int i = 0; i < expected.size(); i++) {
            double cosine = VectorSimilarity.cosine(expected.get(i), actual.get(i), 0, SensitiveChainModel.WIDTH);
            // An all-zero output has no direction, so it counts as cosine 0.
            sum += Double.isNaN(cosine) ? 0 : cosine;
        }
        return sum / expected.size();
    }

    private static List<float[]> outputs(ModelProto candidate) throws OrtException {
        List<float[]> outputs = new ArrayList<>();
        try (OrtSession session = OrtSessions.create(candidate.toByteArray(), 1, OrtSession.SessionOptions.OptLevel.BASIC_OPT);
             SampleSource samples = SampleSources.open(inputs, model, null)) {
            for (Sample sample : samples) {
                try (OnnxTensor x = sample.input("x").toOnnxTensor(OrtSessions.environment());
                     OrtSession.Result result = session.run(Map.of("x", x))) {
                    float[][] y = (float[][]) result.get(0).getValue();
                    outputs.add(y[0]);
                }
            }
        }
        return outputs;
    }
}
