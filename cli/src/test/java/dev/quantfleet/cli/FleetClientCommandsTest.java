package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.LocalFleet;
import dev.quantfleet.cli.fleet.ServiceJars;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.engine.data.NpyWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code submit}, {@code status}, {@code watch} and {@code result} against a running local fleet. */
class FleetClientCommandsTest {

    private static final int SAMPLES = 16;

    @TempDir
    Path directory;

    @AfterEach
    void restoreEnvironment() {
        EnvironmentVariables.replaceForTests(null);
    }

    @Test
    void submitStatusWatchResult() throws IOException {
        ServiceJars jars = ServiceJars.locate();
        assumeTrue(jars.built(), "The fleet services are not packaged (" + jars.coordinator() + "); run "
                + "./mvnw -B verify from the project folder, which packages them before the cli tests");
        Path model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 4);
        Path samples = writeSamples(directory.resolve("samples.npy"));
        Path out = directory.resolve("result");
        Path labels = Files.writeString(directory.resolve("too-few-labels.txt"), "1\n".repeat(SAMPLES - 1));

        try (LocalFleet fleet = LocalFleet.start(new LocalFleet.Settings(jars, 1, directory.resolve("logs"), 1, false,
                Duration.ofSeconds(120)), line -> { })) {
            ArtifactStoreConfig s3 = fleet.store().config();
            EnvironmentVariables.replaceForTests(Map.of("QUANTFLEET_COORDINATOR",
                    fleet.coordinator().baseUri().toString(), "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", s3.accessKeyId(), "AWS_SECRET_ACCESS_KEY", s3.secretAccessKey()));

            CliRun submit = CliRun.run("submit", model.toString(), "--calibration-data", samples.toString(),
                    "--eval-data", samples.toString(), "--max-trials", "3", "--bucket", s3.bucket());
            String requestId = submit.out().strip();
            CliRun status = CliRun.run("status", requestId);
            CliRun watch = CliRun.run("watch", requestId);
            CliRun result = CliRun.run("result", requestId, "--out", out.toString(), "--bucket", s3.bucket());
            CliRun unknown = CliRun.run("status", "cli-unknown");
            CliRun watchAgain = CliRun.run("watch", requestId);
            CliRun badLabels = CliRun.run("submit", model.toString(), "--calibration-data", samples.toString(),
                    "--eval-data", samples.toString(), "--metric", "accuracy", "--eval-labels", labels.toString(),
                    "--max-trials", "3", "--bucket", s3.bucket());
            CliRun watchBadLabels = CliRun.run("watch", badLabels.out().strip());

            assertThat(submit.exitCode()).as(submit.err()).isZero();
            assertThat(requestId).startsWith("cli-");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("Request:      " + requestId, "State:        ");
            assertThat(watch.exitCode()).as(watch.err()).isZero();
            assertThat(watch.out()).contains("State:        COMPLETED", "quantfleet result " + requestId);
            assertThat(watch.out()).contains("Model:        s3://" + s3.bucket() + "/quantfleet/quantized/tiny/");
            assertThat(watch.err()).as("notes of the watch").doesNotContain("sends no events", "reconnecting");
            assertThat(roundsShown(watch.err())).as("rounds shown by the watch").isNotEmpty()
                    .satisfies(rounds -> assertThat(rounds).isEqualTo(consecutive(rounds.get(0), rounds.size())));
            assertThat(watchAgain.exitCode()).as(watchAgain.err()).isZero();
            assertThat(watchAgain.out()).isEqualTo(watch.out());
            assertThat(badLabels.exitCode()).as(badLabels.err()).isZero();
            assertThat(watchBadLabels.exitCode()).isEqualTo(2);
            assertThat(watchBadLabels.err()).contains("labels 'too-few-labels.txt' has " + (SAMPLES - 1)
                    + " labels, but evaluationData 'samples.npy' has " + SAMPLES + " samples");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("(meets the goal)", "Model:        " + out.resolve("model.onnx"));
            assertThat(out.resolve("model.onnx")).isNotEmptyFile();
            assertThat(out.resolve("report.json")).isNotEmptyFile();
            assertThat(out.resolve("report.html")).isNotEmptyFile();
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).contains("Request 'cli-unknown' is unknown to the coordinator at "
                    + fleet.coordinator().baseUri());
        }
    }

    /** Returns the round numbers of the lines {@code Round N: ...} in the order shown. */
    private static List<Integer> roundsShown(String err) {
        List<Integer> rounds = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^Round (\\d+): ").matcher(err);
        while (matcher.find()) {
            rounds.add(Integer.parseInt(matcher.group(1)));
        }
        return rounds;
    }

    private static List<Integer> consecutive(int first, int count) {
        List<Integer> rounds = new ArrayList<>();
        for (int round = first; round < first + count; round++) {
            rounds.add(round);
        }
        return rounds;
    }

    private static Path writeSamples(Path file) throws IOException {
        Random random = new Random(11);
        float[] values = new float[SAMPLES * TinyModels.INPUT_FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Files.createDirectories(file.getParent());
        return NpyWriter.writeFloats(file, new long[] {SAMPLES, TinyModels.INPUT_FEATURES}, values);
    }
}
