package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {

    @Test
    void missingModelIsNamed(@TempDir Path directory) {
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
