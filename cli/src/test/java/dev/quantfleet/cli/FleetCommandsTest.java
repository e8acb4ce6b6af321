package dev.quantfleet.cli;

import dev.quantfleet.engine.data.NpyWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The argument and connection checks of {@code submit}, {@code status}, {@code watch} and {@code result}. */
class FleetCommandsTest {

    @TempDir
    Path directory;

    private Path model;
    private Path samples;
    private String closedPortUrl;

    @BeforeEach
    void writeInputs() throws IOException {
        model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 3);
        samples = NpyWriter.writeFloats(directory.resolve("samples.npy"), new long[] {2, TinyModels.INPUT_FEATURES},
                new float[2 * TinyModels.INPUT_FEATURES]);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPortUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
        EnvironmentVariables.replaceForTests(Map.of());
    }

    @AfterEach
    void restoreEnvironment() {
        EnvironmentVariables.replaceForTests(null);
    }

    @Test
    void unreachableCoordinatorFailsWithoutStackTrace() {
        for (String command : List.of("status", "watch")) {
            CliRun run = CliRun.run(command, "cli-1", "--coordinator", closedPortUrl);

            assertThat(run.exitCode()).as(command).isEqualTo(1);
            assertThat(run.err()).as(command).contains("Cannot reach the coordinator at " + closedPortUrl
                    + " (connection refused); start it or pass its URL with --coordinator");
            assertThat(run.err()).as(command).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void resultFromUnreachableCoordinatorFails() {
        CliRun run = CliRun.run("result", "cli-1", "--coordinator", closedPortUrl, "--out",
                directory.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Cannot reach the coordinator at " + closedPortUrl);
    }

    @Test
    void invalidCoordinatorUrlNamesSource() {
        CliRun option = CliRun.run("status", "cli-1", "--coordinator", "ftp://127.0.0.1/");
        EnvironmentVariables.replaceForTests(Map.of("QUANTFLEET_COORDINATOR", "127.0.0.1:8080"));
        CliRun variable = CliRun.run("status", "cli-1");

        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.err()).contains("Invalid value for --coordinator: 'ftp://127.0.0.1/'; give an http or "
                + "https URL with a host");
        assertThat(variable.exitCode()).isEqualTo(2);
        assertThat(variable.err()).contains("Invalid value for $QUANTFLEET_COORDINATOR: '127.0.0.1:8080'");
    }

    @Test
    void submitNeedsS3EndpointAndCredentials() {
        CliRun noEndpoint = submit();
        EnvironmentVariables.replaceForTests(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"));
        CliRun noKey = submit();

        assertThat(noEndpoint.exitCode()).isEqualTo(2);
        assertThat(noEndpoint.err()).contains("Missing S3 endpoint of the fleet's artifact store: pass --s3-endpoint "
                + "URL or set AWS_ENDPOINT_URL_S3");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("Missing environment variable AWS_ACCESS_KEY_ID");
    }

    @Test
    void submitChecksInputsLikeQuantize() throws IOException {
        Path folder = Files.createDirectories(directory.resolve("folder"));

        CliRun folderData = submit("--eval-data", folder.toString());
        CliRun badDrop = submit("--max-drop", "a lot");

        assertThat(folderData.exitCode()).isEqualTo(2);
        assertThat(folderData.err()).contains("Invalid value for --eval-data: '" + folder + "' is a folder");
        assertThat(badDrop.exitCode()).isEqualTo(2);
        assertThat(badDrop.err()).contains("Invalid value for --max-drop: 'a lot'");
    }

    @Test
    void resultNeedsOut() {
        CliRun run = CliRun.run("result", "cli-1", "--coordinator", closedPortUrl);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--out=DIR'");
    }

    private CliRun submit(String... options) {
        List<String> args = new ArrayList<>(List.of("submit", model.toString(), "--calibration-data",
                samples.toString(), "--coordinator", closedPortUrl));
        if (!List.of(options).contains("--eval-data")) {
            args.addAll(List.of("--eval-data", samples.toString()));
        }
        args.addAll(List.of(options));
        return CliRun.run(args.toArray(String[]::new));
    }
}
