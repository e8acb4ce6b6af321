package dev.quantfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.engine.data.NpyWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code quantize --in-process} end to end on a tiny generated model in ONNX Runtime. */
class QuantizeCommandTest {

    private static final int SAMPLES = 24;

    @TempDir
    Path directory;

    private Path model;
    private Path calibration;
    private Path evaluation;
    private Path out;

    @BeforeEach
    void writeModelAndData() throws IOException {
        model = TinyModels.writeMatMulAddRelu(directory.resolve("tiny.onnx"), 3);
        calibration = writeSamples(directory.resolve("calibration.npy"), 5);
        evaluation = writeSamples(directory.resolve("evaluation.npy"), 6);
        out = directory.resolve("out");
    }

    @Test
    void acceptableSearchWritesModelAndReports() throws IOException {
        CliRun run = quantize("--max-drop", "1%", "--max-trials", "6");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("(meets the goal)");
        assertThat(run.out()).contains("Model:        " + out.resolve("model.onnx"));
        assertThat(out.resolve("model.onnx")).isNotEmptyFile();
        assertThat(out.resolve("report.html")).isNotEmptyFile();
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.get("acceptable").asBoolean()).isTrue();
        assertThat(report.get("goal").get("metric").asText()).isEqualTo("cosine");
        assertThat(report.get("search").get("trials").asInt()).isBetween(1, 6);
    }

    @Test
    void unreachableGoalExitsWithThree() {
        CliRun run = quantize("--max-drop", "0", "--strategy", "presets");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(QuantizeCommand.NOTHING_ACCEPTABLE);
        assertThat(run.out()).contains("(best found, MISSES the goal)");
        assertThat(out.resolve("model.onnx")).isNotEmptyFile();
        assertThat(out.resolve("report.json")).isNotEmptyFile();
    }

    @Test
    void threadCountKeepsModelBytes() throws IOException {
        CliRun first = quantize("--threads", "1");
        byte[] firstModel = Files.readAllBytes(out.resolve("model.onnx"));
        out = directory.resolve("second");
        CliRun second = quantize("--threads", "2");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve("model.onnx"))).isEqualTo(firstModel);
    }

    @Test
    void warmStartFromReportIsEvaluatedFirst() throws IOException {
        CliRun first = quantize("--max-drop", "1%", "--max-trials", "6");
        Path firstReport = out.resolve("report.json");
        String winnerId = new ObjectMapper().readTree(firstReport.toFile()).get("winner").get("candidateId").asText();
        out = directory.resolve("warm");

        CliRun warm = quantize("--max-drop", "1%", "--max-trials", "1", "--warm-start", firstReport.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(warm.exitCode()).as(warm.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.get("candidates")).hasSize(1);
        assertThat(report.get("candidates").get(0).get("candidateId").asText()).isEqualTo(winnerId);
        assertThat(report.get("candidates").get(0).get("round").asInt()).isEqualTo(1);
        assertThat(report.get("winner").get("candidateId").asText()).isEqualTo(winnerId);
    }

    @Test
    void invalidWarmStartIsRejected() throws IOException {
        Path notConfig = Files.writeString(directory.resolve("config.json"), "{\"format\": \"QDQ\", \"bits\": 3}");

        assertUsageError(quantize("--warm-start", notConfig.toString()),
                "Invalid value for --warm-start: '" + notConfig + "'");
    }

    @Test
    void progressGoesToStandardError() {
        CliRun run = quantize();

        assertThat(run.err()).contains("Round 0: 2/2 tasks done");
        assertThat(run.err()).containsPattern("Round 1: (\\d+)/\\1 tasks done, best so far: ");
    }

    @Test
    void fleetModeChecksItsOptionsBeforeStarting() throws IOException {
        Path folder = Files.createDirectories(directory.resolve("samples"));
        Path notOnnx = Files.writeString(directory.resolve("not-a-model.onnx"), "not an onnx model");

        assertUsageError(fleetQuantize(model, folder, "--workers", "1"),
                "Invalid value for --calibration-data: '" + folder + "' is a folder");
        assertUsageError(fleetQuantize(model, calibration, "--workers", "0"),
                "Invalid value for --workers: 0; expected 1 or more");
        assertUsageError(fleetQuantize(notOnnx, calibration), "Invalid value for MODEL: '" + notOnnx
                + "' cannot be read as an ONNX model");
    }

    @Test
    void invalidOptionValuesNameValueAndFix() {
        assertUsageError(quantize("--max-drop", "a lot"), "Invalid value for --max-drop: 'a lot'");
        assertUsageError(quantize("--max-drop", "-1"), "give a number of 0 or more");
        assertUsageError(quantize("--deadline", "soon"), "Invalid value for --deadline: 'soon'");
        assertUsageError(quantize("--metric", "f1"), "Invalid value for --metric");
        assertUsageError(quantize("--strategy", "greedy"), "Invalid value for --strategy: 'greedy'; use one of");
        assertUsageError(quantize("--objective", "energy"), "Invalid value for --objective");
        assertUsageError(quantize("--max-trials", "0"), "--max-trials");
        assertThat(out).doesNotExist();
    }

    @Test
    void unknownMetricListsFidelityAndTaskMetrics() {
        CliRun run = quantize("--metric", "f1");

        assertUsageError(run, "Invalid value for --metric: Unknown metric 'f1'");
        assertThat(run.err()).contains("fidelity metrics cosine, mse, sqnr, top1, kl");
        assertThat(run.err()).contains("task metrics accuracy, recall@K, mrr");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingEvaluationDataIsRejected() {
        evaluation = directory.resolve("nowhere.npy");

        assertUsageError(quantize(), "Invalid value for --eval-data: '" + evaluation + "' not found");
    }

    @Test
    void labelCountMismatchIsRejected() throws IOException {
        Path labels = Files.writeString(directory.resolve("labels.txt"), "0\n1\n");

        CliRun run = quantize("--metric", "accuracy", "--eval-labels", labels.toString());

        assertUsageError(run, "has 2 labels, but the data");
    }

    @Test
    void fleetModeChecksLabelCountBeforeStarting() throws IOException {
        Path labels = Files.writeString(directory.resolve("labels_short.txt"), "0\n1\n0\n");

        CliRun run = fleetQuantize(model, calibration, "--metric", "accuracy", "--eval-labels", labels.toString());

        assertUsageError(run, "The labels file --eval-labels " + labels + " has 3 labels, but the data --eval-data "
                + evaluation + " has " + SAMPLES + " samples");
        assertThat(run.err()).doesNotContain("Uploading");
    }

    @Test
    void fleetModeChecksDataBeforeStarting() throws IOException {
        Path wrongWidth = NpyWriter.writeFloats(directory.resolve("wrong-width.npy"),
                new long[] {2, TinyModels.INPUT_FEATURES + 1}, new float[2 * (TinyModels.INPUT_FEATURES + 1)]);

        CliRun badCalibration = fleetQuantize(model, wrongWidth);
        evaluation = wrongWidth;
        CliRun badEvaluation = fleetQuantize(model, calibration);

        assertUsageError(badCalibration, "Invalid data: ");
        assertThat(badCalibration.err()).contains("--calibration-data " + wrongWidth);
        assertThat(badCalibration.err()).doesNotContain("Uploading");
        assertUsageError(badEvaluation, "Invalid data: ");
        assertThat(badEvaluation.err()).contains("--eval-data " + wrongWidth);
        assertThat(badEvaluation.err()).doesNotContain("Uploading");
        assertThat(out.resolve("logs")).doesNotExist();
    }

    @Test
    void cerRejectsClassLabelsEarly() throws IOException {
        Path labels = Files.writeString(directory.resolve("classes.txt"), "0\n".repeat(SAMPLES));

        CliRun inProcess = quantize("--metric", "cer", "--eval-labels", labels.toString());
        CliRun fleet = fleetQuantize(model, calibration, "--metric", "cer", "--eval-labels", labels.toString());

        assertUsageError(inProcess, "The labels file " + labels + " does not fit the goal's metric: Metric 'cer' "
                + "needs reference texts");
        assertThat(inProcess.err()).doesNotContain("Round 0");
        assertUsageError(fleet, "The labels file --eval-labels " + labels + " does not fit the goal's metric");
        assertThat(fleet.err()).contains("README.md, section \"Searching the recognizer for its character error "
                + "rate\"");
        assertThat(fleet.err()).doesNotContain("TextLabels for the format");
    }

    @Test
    void cerOnPairsFileIsRejected() throws IOException {
        evaluation = Files.writeString(directory.resolve("pairs.tsv"), "a query\ta document\n");

        CliRun run = quantize("--metric", "cer");

        assertUsageError(run, "--metric cer compares the text a recognizer reads from each image with a reference "
                + "text, so it cannot score the query/document pairs of --eval-data '" + evaluation + "'");
        assertThat(run.err()).contains("or use --metric recall@K or mrr for pairs");
        assertThat(run.err()).doesNotContain("pass --eval-labels");
    }

    @Test
    void latencyObjectivePrintsLatencies() {
        CliRun run = quantize("--objective", "latency", "--strategy", "presets");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("Latency: +median \\d+\\.\\d\\d ms \\(p10 .*, p90 .*, 1 thread; "
                + "float model \\d+\\.\\d\\d ms\\)");
        assertThat(run.out()).containsPattern("Integer MACs: +\\d+\\.\\d % of multiply-accumulates");
    }

    @Test
    void foldersBelowAFileAreRejected() throws IOException {
        Path file = Files.writeString(directory.resolve("existing.txt"), "x");
        out = file.resolve("sub");

        assertUsageError(quantize(), "Invalid value for --out: '" + out + "' lies below the file " + file);
        out = directory.resolve("out");
        assertUsageError(quantize("--sensitivity-cache", file.toString()),
                "Invalid value for --sensitivity-cache: '" + file + "' is a file");
    }

    @Test
    void taskMetricWithoutItsDataIsRejected() {
        assertUsageError(quantize("--metric", "accuracy"), "--metric accuracy needs class labels: pass --eval-labels");
        assertUsageError(quantize("--metric", "auc"), "--metric auc needs class labels: pass --eval-labels");
        assertUsageError(quantize("--metric", "detection@0fa"),
                "--metric detection@0fa needs class labels: pass --eval-labels");
        assertUsageError(quantize("--metric", "recall@1"), "--eval-data must be a .tsv file");
        assertUsageError(quantize("--metric", "cer"), "--metric cer needs the reference texts: pass --eval-labels");
    }

    @Test
    void labelOutsideClassesFailsTheBaseline() throws IOException {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < SAMPLES; i++) {
            labels.append(i == 3 ? 9 : 0).append('\n');
        }
        Path file = Files.writeString(directory.resolve("labels.txt"), labels);

        CliRun run = quantize("--metric", "accuracy", "--eval-labels", file.toString());

        assertUsageError(run, "The float model could not be evaluated");
        assertThat(run.err()).contains("Label 9 of evaluation sample 4");
        assertThat(run.err()).doesNotContain("Internal error");
    }

    private static void assertUsageError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    private CliRun quantize(String... options) {
        List<String> args = new ArrayList<>(List.of("quantize", model.toString(), "--calibration-data",
                calibration.toString(), "--eval-data", evaluation.toString(), "--out", out.toString(), "--in-process"));
        args.addAll(List.of(options));
        return CliRun.run(args.toArray(String[]::new));
    }

    private CliRun fleetQuantize(Path modelFile, Path calibrationData, String... options) {
        List<String> args = new ArrayList<>(List.of("quantize", modelFile.toString(), "--calibration-data",
                calibrationData.toString(), "--eval-data", evaluation.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        return CliRun.run(args.toArray(String[]::new));
    }

    private static Path writeSamples(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        float[] values = new float[SAMPLES * TinyModels.INPUT_FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return NpyWriter.writeFloats(file, new long[] {SAMPLES, TinyModels.INPUT_FEATURES}, values);
    }
}
