package dev.quantfleet.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.cli.fleet.ServiceJars;
import dev.quantfleet.engine.data.NpyWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code quantize} in fleet mode end to end: Kafka and S3 in this JVM, the coordinator and the
 * workers as child processes of the packaged Quarkus applications, a tiny generated model.
 */
class FleetQuantizeTest {

    private static final int SAMPLES = 24;

    @TempDir
    Path directory;

    private Path model;
    private Path calibration;
    private Path evaluation;

    @BeforeAll
    static void requireServiceJars() {
        ServiceJars jars = ServiceJars.locate();
        assumeTrue(jars.built(), "The fleet services are not packaged (" + jars.coordinator() + ", " + jars.worker()
                + "); run ./mvnw -B verify from the project folder, which packages them before the cli tests");
    }

    @BeforeEach
    void writeModelAndData() throws IOException {
        model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 3);
        calibration = writeSamples(directory.resolve("calibration.npy"), 5, TinyModels.INPUT_FEATURES);
        evaluation = writeSamples(directory.resolve("evaluation.npy"), 6, TinyModels.INPUT_FEATURES);
    }

    @Test
    void fleetModelEqualsInProcessModel() throws IOException, OrtException {
        Path inProcessOut = directory.resolve("in-process");
        Path fleetOut = directory.resolve("fleet");
        Path oneWorkerOut = directory.resolve("one-worker");

        CliRun inProcess = quantize(inProcessOut, "--in-process");
        CliRun fleet = quantize(fleetOut, "--workers", "2");
        CliRun oneWorker = quantize(oneWorkerOut, "--workers", "1");

        assertThat(inProcess.exitCode()).as(inProcess.err()).isZero();
        assertThat(fleet.exitCode()).as(fleet.err()).isZero();
        assertThat(oneWorker.exitCode()).as(oneWorker.err()).isZero();
        byte[] expected = Files.readAllBytes(inProcessOut.resolve("model.onnx"));
        assertThat(Files.readAllBytes(fleetOut.resolve("model.onnx"))).isEqualTo(expected);
        assertThat(Files.readAllBytes(oneWorkerOut.resolve("model.onnx"))).isEqualTo(expected);
        assertThat(fleetOut.resolve("report.json")).isNotEmptyFile();
        assertThat(fleetOut.resolve("report.html")).isNotEmptyFile();
        assertThat(fleetOut.resolve("logs").resolve("coordinator.log")).isNotEmptyFile();
        assertThat(fleetOut.resolve("logs").resolve("worker-2.log")).isNotEmptyFile();
        assertThat(fleet.out()).contains("(meets the goal)", "Model:        " + fleetOut.resolve("model.onnx"));
        assertThat(summary(fleet.out())).isEqualTo(summary(inProcess.out()).replace(inProcessOut.toString(),
                fleetOut.toString()));
        assertThat(fleet.err()).contains("Submitted request cli-", "Round 0: ");
        assertRuns(fleetOut.resolve("model.onnx"));
    }

    /** Returns the summary without the search line, whose wall time differs between runs. */
    private static String summary(String out) {
        return out.lines().filter(line -> !line.startsWith("Search:")).reduce("", (a, b) -> a + b + "\n");
    }

    private static void assertRuns(Path quantized) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        float[][] input = new float[2][TinyModels.INPUT_FEATURES];
        input[0][0] = 1f;
        input[1][3] = -0.5f;
        try (OrtSession session = environment.createSession(quantized.toString());
                OnnxTensor tensor = OnnxTensor.createTensor(environment, input);
                OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            float[][] output = (float[][]) result.get(0).getValue();
            assertThat(output).hasNumberOfRows(2);
            assertThat(output[0]).hasSize(TinyModels.HIDDEN_FEATURES);
        }
    }

    private CliRun quantize(Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("quantize", model.toString(), "--calibration-data",
                calibration.toString(), "--eval-data", evaluation.toString(), "--out", out.toString(),
                "--max-drop", "1%", "--max-trials", "6"));
        args.addAll(List.of(options));
        return CliRun.run(args.toArray(String[]::new));
    }

    private static Path writeSamples(Path file, long seed, int features) throws IOException {
        Random random = new Random(seed);
        float[] values = new float[SAMPLES * features];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return NpyWriter.writeFloats(file, new long[] {SAMPLES, features}, values);
    }
}
