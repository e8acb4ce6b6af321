package dev.quantfleet.cli;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.StringStringEntryProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code apply} rejects every output that would overwrite one of its inputs, links resolved. */
class ApplyOutputTest {

    private static final int SAMPLES = 4;

    @TempDir
    Path directory;

    private Path model;
    private Path calibration;

    @BeforeEach
    void writeModelAndData() throws IOException {
        model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 3);
        calibration = writeSamples(directory.resolve("x.npy"));
    }

    @Test
    void outMustDifferFromExternalDataFile() throws IOException {
        Path weights = moveWeightsToExternalData(directory.resolve("ext/sub"));
        Path externalModel = weights.resolveSibling("ext.onnx");
        byte[] weightBytes = Files.readAllBytes(weights);

        CliRun run = apply(externalModel, calibration, weights);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --out: '" + weights + "' is also an input")
                .contains("external data file of MODEL");
        assertThat(Files.readAllBytes(weights)).isEqualTo(weightBytes);
    }

    @Test
    void outMustDifferFromFileInCalibrationFolder() throws IOException {
        Path folder = Files.createDirectories(directory.resolve("npydir"));
        Path sample = writeSamples(folder.resolve("x.npy"));
        byte[] sampleBytes = Files.readAllBytes(sample);

        CliRun run = apply(model, folder, sample);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'" + sample + "' is also an input")
                .contains("a file in the --calibration-data folder '" + folder + "'");
        assertThat(Files.readAllBytes(sample)).isEqualTo(sampleBytes);
    }

    @Test
    void outMustDifferFromTestDataFile() throws IOException {
        Path folder = Files.createDirectories(directory.resolve("pb/test_data_set_0"));
        float[] values = new float[TinyModels.INPUT_FEATURES];
        TensorProto tensor = dev.quantfleet.engine.onnx.TensorCodec.fromFloats("x",
                new long[] {1, TinyModels.INPUT_FEATURES}, values);
        Path input = Files.write(folder.resolve("input_0.pb"), tensor.toByteArray());

        CliRun run = apply(model, directory.resolve("pb"), input);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'" + input + "' is also an input");
        assertThat(Files.readAllBytes(input)).isEqualTo(tensor.toByteArray());
    }

    @Test
    void outThroughLinkToModelIsRejected() throws IOException {
        Path link = Files.createSymbolicLink(directory.resolve("link.onnx"), model);

        CliRun run = apply(model, calibration, link);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --out: '" + link + "' is also an input (MODEL, "
                + model.toRealPath() + ")");
    }

    @Test
    void summaryJsonSameAsOut() {
        Path out = directory.resolve("out.onnx");

        CliRun run = CliRun.run("apply", model.toString(), "--preset", "a8w8", "--calibration-data",
                calibration.toString(), "--out", out.toString(), "--summary-json", out.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'" + out + "' and --out '" + out + "' name the same file")
                .doesNotContain("is also an input");
    }

    private CliRun apply(Path modelFile, Path data, Path out) {
        return CliRun.run("apply", modelFile.toString(), "--preset", "a8w8", "--calibration-data", data.toString(),
                "--out", out.toString(), "--threads", "1");
    }

    /** Writes the tiny model to {@code folder/ext.onnx} with its weight W in {@code folder/w.bin}; returns w.bin. */
    private Path moveWeightsToExternalData(Path folder) throws IOException {
        Files.createDirectories(folder);
        ModelProto inline = ModelIo.load(model, ModelLimits.defaults());
        TensorProto weight = inline.getGraph().getInitializer(0);
        Path weights = Files.write(folder.resolve("w.bin"), weight.getRawData().toByteArray());
        TensorProto external = weight.toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin"))
                .build();
        ModelProto withExternal = inline.toBuilder()
                .setGraph(inline.getGraph().toBuilder().setInitializer(0, external))
                .build();
        Files.write(folder.resolve("ext.onnx"), withExternal.toByteArray());
        return weights;
    }

    private static Path writeSamples(Path file) throws IOException {
        Random random = new Random(11);
        float[] values = new float[SAMPLES * TinyModels.INPUT_FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return NpyWriter.writeFloats(file, new long[] {SAMPLES, TinyModels.INPUT_FEATURES}, values);
    }
}
