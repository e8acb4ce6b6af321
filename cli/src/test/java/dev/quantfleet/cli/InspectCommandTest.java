package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {

    @TempDir
    Path directory;

    @Test
    void printsSummaryOfTinyModel() throws IOException {
        Path model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 11);

        CliRun run = CliRun.run("inspect", model.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Producer:     quantfleet-cli-test");
        assertThat(run.out()).contains("ai.onnx 21");
        assertThat(run.out()).contains("x: float [batch, 8]").contains("y: float [batch, 6]");
        assertThat(run.out()).contains("Nodes:        3 in 3 op types");
        assertThat(run.out()).containsPattern("MatMul +1");
        // W has 8 x 6 and b 6 float elements.
        assertThat(run.out()).contains("Parameters:   54 elements, 216 bytes");
    }

    @Test
    void invalidModelIsInputError() throws IOException {
        Path notOnnx = Files.writeString(directory.resolve("notes.onnx"), "this is not a protobuf message");

        CliRun run = CliRun.run("inspect", notOnnx.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Error: ").contains(notOnnx.toString());
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void emptyFileIsInputError() throws IOException {
        Path empty = Files.write(directory.resolve("empty.onnx"), new byte[0]);

        CliRun run = CliRun.run("inspect", empty.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Model file " + empty + " is not a valid ONNX model: no graph (0 bytes)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingModelIsNamed() {
        String missing = directory.resolve("missing.onnx").toString();

        CliRun run = CliRun.run("inspect", missing);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for MODEL: file '" + missing + "' not found");
    }

    @Test
    void modelIsRequired() {
        CliRun run = CliRun.run("inspect");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'MODEL'");
    }
}
