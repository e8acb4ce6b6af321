package dev.quantfleet.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors of {@code apply}: each names the offending value and exits with 2 before any work. */
class ApplyCommandTest {

    @TempDir
    Path directory;

    private String model;
    private String texts;
    private String tokenizer;
    private String out;

    @BeforeEach
    void writeInputs() throws IOException {
        model = Files.write(directory.resolve("model.onnx"), new byte[] {8, 10}).toString();
        texts = Files.writeString(directory.resolve("texts.txt"), "first text\nsecond text\n").toString();
        tokenizer = Files.writeString(directory.resolve("tokenizer.json"), "{}").toString();
        out = directory.resolve("out/model-a8w8.onnx").toString();
    }

    @Test
    void presetAndConfigAreMutuallyExclusive() throws IOException {
        String config = Files.writeString(directory.resolve("config.json"), "{}").toString();

        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--config", config,
                "--calibration-data", texts, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--preset=NAME, --config=CONFIG.json are mutually exclusive");
        assertThat(run.err()).doesNotContain("Error: Error:");
    }

    @Test
    void presetOrConfigIsRequired() {
        CliRun run = CliRun.run("apply", model, "--calibration-data", texts, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required argument").contains("--preset=NAME | --config=CONFIG.json");
    }

    @Test
    void calibrationDataAndOutAreRequired() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--out=OUT.onnx");
    }

    @Test
    void missingModelIsNamed() {
        String missing = directory.resolve("missing.onnx").toString();

        CliRun run = CliRun.run("apply", missing, "--preset", "a8w8", "--calibration-data", texts, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for MODEL: file '" + missing + "' not found");
    }

    @Test
    void modelDirectoryIsRejected() {
        CliRun run = CliRun.run("apply", directory.toString(), "--preset", "a8w8", "--calibration-data", texts,
                "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'" + directory + "' is a directory, expected a file");
    }

    @Test
    void missingConfigIsNamed() {
        String missing = directory.resolve("config.json").toString();

        CliRun run = CliRun.run("apply", model, "--config", missing, "--calibration-data", texts, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --config: file '" + missing + "' not found");
    }

    @Test
    void missingCalibrationDataSuggestsModelsTexts() {
        String missing = directory.resolve("texts-missing.txt").toString();

        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", missing, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'" + missing + "' not found").contains("quantfleet models texts");
    }

    @Test
    void missingTokenizerIsNamed() {
        String missing = directory.resolve("other-tokenizer.json").toString();

        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts,
                "--tokenizer", missing, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --tokenizer: file '" + missing + "' not found");
    }

    @Test
    void maxLengthNeedsTokenizer() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts,
                "--max-length", "64", "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--max-length 64 needs --tokenizer");
    }

    @Test
    void maxLengthMustBePositive() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts,
                "--tokenizer", tokenizer, "--max-length", "0", "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --max-length: 0; expected 1 or more");
    }

    @Test
    void threadsMustBePositive() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts,
                "--threads", "0", "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --threads: 0; expected 1 or more");
    }

    @Test
    void threadsMustBeNumber() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts,
                "--threads", "many", "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--threads': 'many' is not an int");
    }

    @Test
    void outputMustDifferFromModel() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts, "--out", model);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --out: '" + model + "' is also an input");
    }

    @Test
    void outputMustNotBeDirectory() {
        CliRun run = CliRun.run("apply", model, "--preset", "a8w8", "--calibration-data", texts,
                "--out", directory.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --out: '" + directory + "' is a directory");
    }

    @Test
    void emptyPresetIsRejected() {
        CliRun run = CliRun.run("apply", model, "--preset", " ", "--calibration-data", texts, "--out", out);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --preset: the name is empty");
    }
}
