package dev.quantfleet.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** {@code apply} end to end on a tiny generated model, checked with ONNX Runtime. */
class ApplyEngineTest {

    private static final int CALIBRATION_SAMPLES = 32;

    @TempDir
    Path directory;

    private Path model;
    private Path calibration;
    private Path out;
    private float[] calibrationValues;

    @BeforeEach
    void writeModelAndData() throws IOException {
        model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 3);
        Random random = new Random(5);
        calibrationValues = new float[CALIBRATION_SAMPLES * TinyModels.INPUT_FEATURES];
        for (int i = 0; i < calibrationValues.length; i++) {
            calibrationValues[i] = (float) random.nextGaussian();
        }
        calibration = NpyWriter.writeFloats(directory.resolve("x.npy"),
                new long[] {CALIBRATION_SAMPLES, TinyModels.INPUT_FEATURES}, calibrationValues);
        out = directory.resolve("out/tiny-a8w8.onnx");
    }

    @Test
    void presetQuantizesAndPrintsReport() throws IOException {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--calibration-data",
                calibration.toString(), "--out", out.toString(), "--threads", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Config:       preset a8w8: QDQ, activations QUInt8 asymmetric, weights QInt8 "
                + "symmetric per channel, calibration MinMax");
        assertThat(run.out()).contains("Calibration:").contains("over 32 samples of " + calibration + "\n");
        assertThat(run.out()).containsPattern("Quantized: +[1-9]\\d* nodes");
        assertThat(run.out()).contains("MatMul [uint8, int8]");
        assertThat(run.out()).contains("Opset:        unchanged");
        assertThat(run.out()).contains("Output:       " + out);
        assertThat(run.out()).containsPattern("Elapsed: +\\d+\\.\\d s \\(load .*, calibrate .*, quantize .*, save .*\\)");

        ModelProto quantized = ModelIo.load(out, ModelLimits.defaults());
        List<String> opTypes = quantized.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
        assertThat(opTypes).contains("QuantizeLinear", "DequantizeLinear", "MatMul");
    }

    @Test
    void quantizedModelStaysCloseToFloat() throws IOException, OrtException {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--calibration-data",
                calibration.toString(), "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        float[] input = new float[4 * TinyModels.INPUT_FEATURES];
        System.arraycopy(calibrationValues, 0, input, 0, input.length);
        float[] expected = runModel(model, input);
        float[] actual = runModel(out, input);

        float outputRange = 0;
        for (float value : expected) {
            outputRange = Math.max(outputRange, Math.abs(value));
        }
        assertThat(outputRange).isPositive();
        for (int i = 0; i < expected.length; i++) {
            // 8-bit steps over an input range of about 6 and 8 accumulated products: a few
            // percent of the output range at most.
            assertThat(actual[i]).as("output %d", i).isCloseTo(expected[i],
                    offset(0.05f * outputRange));
        }
    }

    @Test
    void configFileAndSummaryJson() throws IOException {
        Path config = Files.writeString(directory.resolve("config.json"),
                "{\"activationType\": \"QInt8\", \"activationSymmetric\": true, \"perChannel\": false}");
        Path summary = directory.resolve("summary.json");

        CliRun run = CliRun.run("apply", model.toString(), "--config", config.toString(), "--calibration-data",
                calibration.toString(), "--method", "percentile", "--out", out.toString(),
                "--summary-json", summary.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Config:       " + config + ": QDQ, activations QInt8 symmetric, weights QInt8 "
                + "symmetric per tensor, calibration Percentile");
        assertThat(run.out()).contains("1  MatMul [int8]");
        assertThat(Files.readString(summary)).contains("\"quantized\"").contains("\"opType\" : \"MatMul\"");
    }

    @Test
    void dynamicPresetSkipsCalibration() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "dynamic-int8", "--calibration-data",
                calibration.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("preset dynamic-int8: Dynamic").contains("no calibration");
        assertThat(run.out()).contains("Note:         Format Dynamic quantizes activations at run time, so "
                + calibration + " was not read");
        assertThat(run.out()).doesNotContain("Calibration:");
        assertThat(out).exists();
    }

    @Test
    void dynamicPresetNeedsNoCalibrationData() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "dynamic-int8", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("Note:").doesNotContain("Calibration:");
        assertThat(out).exists();
    }

    @Test
    void dynamicPresetIgnoresMissingCalibrationData() {
        Path missing = directory.resolve("missing.txt");

        CliRun run = CliRun.run("apply", model.toString(), "--preset", "dynamic-int8", "--calibration-data",
                missing.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(missing + " was not read");
    }

    @Test
    void staticPresetRequiresCalibrationData() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--calibration-data=DATA'; format QDQ measures "
                + "activation ranges on it");
        assertThat(out).doesNotExist();
    }

    @Test
    void methodWithDynamicPresetIsRejected() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "dynamic-int8", "--calibration-data",
                calibration.toString(), "--method", "entropy", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--method Entropy does not fit the configuration");
        assertThat(out).doesNotExist();
    }

    @Test
    void invalidConfigNamesProblem() throws IOException {
        Path config = Files.writeString(directory.resolve("config.json"), "{\"activationBits\": 8}");

        CliRun run = CliRun.run("apply", model.toString(), "--config", config.toString(), "--calibration-data",
                calibration.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid configuration " + config).contains("unknown property 'activationBits'");
        assertThat(out).doesNotExist();
    }

    @Test
    void unknownNodeNameIsRejectedBeforeCalibration() throws IOException {
        Path config = Files.writeString(directory.resolve("exclude.json"),
                "{\"nodesToExclude\": [\"mat*\", \"/pooler/*\"], \"nodeOverrides\": {\"ad\": {\"keepFloat\": true}}}");

        CliRun run = CliRun.run("apply", model.toString(), "--config", config.toString(), "--calibration-data",
                calibration.toString(), "--out", out.toString(), "--threads", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid configuration " + config + " for " + model
                + ": nodesToExclude entry '/pooler/*' matches no node; the most similar node names are [")
                .contains("nodeOverrides names node 'ad', which does not exist; the most similar node names are "
                        + "[add, relu, matmul]");
        assertThat(run.out()).doesNotContain("Calibration:");
        assertThat(out).doesNotExist();
    }

    @Test
    void unknownPresetListsKnownOnes() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a3w3", "--calibration-data",
                calibration.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown quantization preset 'a3w3'; known presets: [a8w8, a8w8-percentile, "
                + "a8w8-entropy, a16w8, dynamic-int8]");
    }

    @Test
    void unknownMethodListsKnownOnes() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--calibration-data",
                calibration.toString(), "--method", "average", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --method: Unknown calibration method 'average'")
                .contains("MinMax");
    }

    @Test
    void calibrationDataOfWrongShapeIsInputError() throws IOException {
        Path wrong = NpyWriter.writeFloats(directory.resolve("wrong.npy"), new long[] {4, 5}, new float[20]);

        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--calibration-data",
                wrong.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid calibration data " + wrong);
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void textDataWithoutTokenizerIsInputError() throws IOException {
        Path texts = Files.writeString(directory.resolve("texts.txt"), "one\ntwo\n");

        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--calibration-data",
                texts.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --calibration-data: '" + texts + "' is text data, which "
                + "needs a tokenizer; pass --tokenizer FILE");
    }

    @Test
    void invalidTokenizerNamesTokenizerOption() throws IOException {
        Path texts = Files.writeString(directory.resolve("texts.txt"), "one\ntwo\n");
        Path tokenizer = Files.writeString(directory.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"}");
        Path textModel = writeTextModel();

        CliRun run = CliRun.run("apply", textModel.toString(), "--preset", "a8w8", "--calibration-data",
                texts.toString(), "--tokenizer", tokenizer.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --tokenizer: '" + tokenizer + "' cannot be loaded as a "
                + "Hugging Face tokenizer.json").doesNotContain("Invalid calibration data");
    }

    @Test
    void presetGivenTwiceGetsPlainMessage() {
        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--preset", "a16w8",
                "--calibration-data", calibration.toString(), "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Error: --preset or --config was given more than once; give exactly one of "
                + "them, once").doesNotContain("expected only one match");
    }

    /** Writes a model with one int64 input named input_ids, which text data can feed. */
    private Path writeTextModel() throws IOException {
        dev.quantfleet.engine.onnx.Onnx.TypeProto ids = dev.quantfleet.engine.onnx.Onnx.TypeProto.newBuilder()
                .setTensorType(dev.quantfleet.engine.onnx.Onnx.TypeProto.Tensor.newBuilder().setElemType(7)).build();
        dev.quantfleet.engine.onnx.Onnx.ValueInfoProto input = dev.quantfleet.engine.onnx.Onnx.ValueInfoProto
                .newBuilder().setName("input_ids").setType(ids).build();
        ModelProto textModel = ModelProto.newBuilder().setIrVersion(10)
                .addOpsetImport(dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto.newBuilder().setVersion(21))
                .setGraph(dev.quantfleet.engine.onnx.Onnx.GraphProto.newBuilder().setName("ids")
                        .addInput(input).addOutput(input.toBuilder().setName("copy"))
                        .addNode(NodeProto.newBuilder().setOpType("Identity").setName("copy")
                                .addInput("input_ids").addOutput("copy")))
                .build();
        Path file = directory.resolve("text.onnx");
        Files.write(file, textModel.toByteArray());
        return file;
    }

    private static float[] runModel(Path modelFile, float[] input) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        long[] shape = {input.length / TinyModels.INPUT_FEATURES, TinyModels.INPUT_FEATURES};
        try (OrtSession session = environment.createSession(modelFile.toString(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of("x", tensor))) {
            FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[output.remaining()];
            output.get(values);
            return values;
        }
    }
}
