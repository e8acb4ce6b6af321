package dev.quantfleet.cli;

import dev.quantfleet.engine.data.NpyWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code apply} rejects calibration data that would give a degraded model without an error. */
class ApplyDataTest {

    @TempDir
    Path directory;

    private Path model;
    private Path out;

    @BeforeEach
    void writeModel() throws IOException {
        model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 3);
        out = directory.resolve("out.onnx");
    }

    @Test
    void arrayWithoutSamplesIsRejected() throws IOException {
        Path data = NpyWriter.writeFloats(directory.resolve("empty.npy"), new long[] {0, TinyModels.INPUT_FEATURES},
                new float[0]);

        CliRun run = apply(model, data);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no samples in " + data + "; at least one sample is needed");
        assertThat(out).doesNotExist();
    }

    @Test
    void allNanDataIsRejected() throws IOException {
        float[] values = new float[4 * TinyModels.INPUT_FEATURES];
        Arrays.fill(values, Float.NaN);
        Path data = NpyWriter.writeFloats(directory.resolve("nan.npy"), new long[] {4, TinyModels.INPUT_FEATURES},
                values);

        CliRun run = apply(model, data);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Input 'x' contains 8 NaN values in " + data + ", sample 0");
        assertThat(out).doesNotExist();
    }

    @Test
    void allInfiniteDataIsRejected() throws IOException {
        float[] values = new float[4 * TinyModels.INPUT_FEATURES];
        Arrays.fill(values, Float.POSITIVE_INFINITY);
        Path data = NpyWriter.writeFloats(directory.resolve("inf.npy"), new long[] {4, TinyModels.INPUT_FEATURES},
                values);

        CliRun run = apply(model, data);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Input 'x' has no finite value in " + data + ", sample 0");
    }

    @Test
    void overflowingTensorsAreListed() throws IOException {
        Path overflowing = TinyModels.writeOverflowingMul(directory.resolve("overflow.onnx"));
        Random random = new Random(17);
        float[] values = new float[4 * TinyModels.INPUT_FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + random.nextFloat();
        }
        Path data = NpyWriter.writeFloats(directory.resolve("x.npy"), new long[] {4, TinyModels.INPUT_FEATURES},
                values);

        CliRun run = apply(overflowing, data);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Warning:      1 tensors had no finite value in any sample, so they get the "
                + "range [0, 0]: [y]");
    }

    private CliRun apply(Path modelFile, Path data) {
        return CliRun.run("apply", modelFile.toString(), "--preset", "a8w8", "--calibration-data", data.toString(),
                "--out", out.toString(), "--threads", "1");
    }
}
