package dev.quantfleet.cli;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;
import dev.quantfleet.engine.evaluation.Labels;
import dev.quantfleet.engine.evaluation.TextLabels;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OcrLinesCommandTest {

    private static final String LONG_SYNOPSIS =
            "library for reading and writing very long names of things in many formats at once";

    private static final String STATUS = """
            Package: zsh
            Description: shell with lots of features

            Package: bash
            Description: GNU Bourne Again SHell

            Package: libverbose
            Description: %s

            Package: coreutils
            Description: GNU core utilities
            """.formatted(LONG_SYNOPSIS);

    @TempDir
    Path directory;

    private Path statusFile;
    private Path out;
    private ModelProto model;

    @BeforeEach
    void writeInputs() throws IOException {
        statusFile = Files.writeString(directory.resolve("status"), STATUS);
        out = directory.resolve("data/lines.npy");
        model = ModelIo.load(TinyModels.writeTextLineRelu(directory.resolve("rec.onnx")), ModelLimits.defaults());
    }

    @Test
    void recognizerBatchReadsAsSamples() throws IOException {
        CliRun run = run("--count", "3", "--width", "160");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Wrote 3 text lines to " + out + " as float32 [3, 3, 48, 160] (synopses 1 to 3 "
                + "of 4 in " + statusFile + ")");
        List<float[]> samples = readSamples(3 * 48 * 160);
        assertThat(samples).hasSize(3);
        TextLineRenderer renderer = new TextLineRenderer();
        assertThat(samples.get(0)).containsExactly(
                TextLineRenderer.toRecognizerInput(renderer.draw("GNU Bourne Again SHell", Options.clean()), 160));
        assertThat(samples.get(1)).containsExactly(
                TextLineRenderer.toRecognizerInput(renderer.draw("GNU core utilities", Options.clean()), 160));
        assertThat(samples.get(2)[0]).as("top left pixel of the third line is white").isEqualTo(1f);
    }

    @Test
    void defaultWidthFitsTheWidestLineWithoutSqueezing() throws IOException {
        CliRun run = run("--skip", "2", "--count", "1");

        int widest = new TextLineRenderer().draw(LONG_SYNOPSIS, Options.clean()).getWidth();
        int expectedWidth = (widest + 7) / 8 * 8;
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(expectedWidth).isGreaterThan(320);
        assertThat(run.out()).contains("[1, 3, 48, " + expectedWidth + "]").doesNotContain("squeezed");
    }

    @Test
    void fileHoldsHeaderAndExactlyTheValues() throws IOException {
        CliRun run = run("--count", "2", "--width", "320");

        assertThat(run.exitCode()).as(run.err()).isZero();
        byte[] bytes = Files.readAllBytes(out);
        int headerBytes = 10 + (bytes[8] & 0xFF) + ((bytes[9] & 0xFF) << 8);
        String header = new String(bytes, 10, headerBytes - 10, StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '<f4'", "'fortran_order': False", "'shape': (2, 3, 48, 320)");
        assertThat(headerBytes % 64).isZero();
        assertThat(bytes).hasSize(headerBytes + 2 * 3 * 48 * 320 * 4);
    }

    @Test
    void longLineIsSqueezedAndReported() {
        CliRun run = run("--skip", "2", "--count", "1", "--width", "64");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 of 1 lines were wider than 64 pixels and were squeezed to fit");
    }

    @Test
    void classifierBatchTurnsEverySecondLine() throws IOException {
        CliRun run = run("--classifier", "--count", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("as float32 [2, 3, 48, 192] for the orientation classifier",
                "Lines 2, 4, ... are turned by 180 degrees");
        List<float[]> samples = readSamples(3 * 48 * 192);
        TextLineRenderer renderer = new TextLineRenderer();
        assertThat(samples.get(0)).containsExactly(
                TextLineRenderer.toClassifierInput(renderer.draw("GNU Bourne Again SHell", Options.clean())));
        assertThat(samples.get(1)).containsExactly(TextLineRenderer.toClassifierInput(
                TextLineRenderer.rotate180(renderer.draw("GNU core utilities", Options.clean()))));
    }

    @Test
    void classifierTurnsLinesByPositionInFileNotBySkip() throws IOException {
        CliRun run = run("--classifier", "--skip", "1", "--count", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<float[]> samples = readSamples(3 * 48 * 192);
        TextLineRenderer renderer = new TextLineRenderer();
        assertThat(samples.get(0)).containsExactly(
                TextLineRenderer.toClassifierInput(renderer.draw("GNU core utilities", Options.clean())));
        assertThat(samples.get(1)).containsExactly(TextLineRenderer.toClassifierInput(
                TextLineRenderer.rotate180(renderer.draw(LONG_SYNOPSIS, Options.clean()))));
    }

    @Test
    void helpNamesEvaluationUseAndClassifierLabels() {
        CliRun run = CliRun.run("models", "ocr-lines", "--help");

        String help = run.out().replaceAll("\\s+", " ");
        assertThat(run.exitCode()).isZero();
        assertThat(help).contains("'quantfleet quantize --calibration-data' or '--eval-data'");
        assertThat(help).contains("0 for an upright line and 1 for a turned one, so 0, 1, 0, 1, ...");
        assertThat(help).contains("awk '{print $1 % 2}'");
    }

    @Test
    void hardLinesFollowTheSeed() throws IOException {
        assertThat(run("--count", "2", "--hard", "--seed", "7").exitCode()).isZero();
        byte[] first = Files.readAllBytes(out);
        assertThat(run("--count", "2", "--hard", "--seed", "7").exitCode()).isZero();
        byte[] again = Files.readAllBytes(out);
        assertThat(run("--count", "2", "--hard", "--seed", "8").exitCode()).isZero();
        byte[] otherSeed = Files.readAllBytes(out);

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).hasSameSizeAs(first).isNotEqualTo(first);
    }

    @Test
    void textLabelsHoldDrawnTextsAndDictionary() throws IOException {
        Path keys = Files.writeString(directory.resolve("keys.txt"), "G\nN\nU\n");
        Path labels = directory.resolve("labels.txt");

        CliRun run = run("--count", "2", "--text-labels", labels.toString(), "--dictionary", keys.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Wrote the 2 texts with the dictionary of " + keys + " to " + labels);
        TextLabels read = TextLabels.read(labels);
        assertThat(read.texts()).containsExactly("GNU Bourne Again SHell", "GNU core utilities");
        assertThat(read.characters()).containsExactly("G", "N", "U", " ");
        assertThat(Labels.read(labels).texts()).isNotNull();
    }

    @Test
    void textLabelsNeedDictionaryAndRecognizerLines() {
        Path labels = directory.resolve("labels.txt");

        assertUsageError(run("--text-labels", labels.toString()), "--text-labels and --dictionary go together");
        assertUsageError(run("--classifier", "--text-labels", labels.toString(), "--dictionary", "keys.txt"),
                "--text-labels and --dictionary are for recognizer lines");
        assertThat(labels).doesNotExist();
    }

    @Test
    void countBeyondEndWritesRemainderWithNote() {
        CliRun run = run("--skip", "3", "--count", "5", "--width", "320");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("[1, 3, 48, 320]",
                "Note: 5 lines were requested, but only 1 synopses remain after --skip 3");
    }

    @Test
    void badValuesExitWithTwo() {
        assertUsageError(run("--width", "100"), "Invalid value for --width: 100; expected a multiple of 8");
        assertUsageError(run("--count", "0"), "Invalid value for --count: 0; expected 1 or more");
        assertUsageError(run("--skip", "-1"), "Invalid value for --skip: -1; expected 0 or more");
        assertUsageError(run("--seed", "3"), "--seed 3 has no effect without --hard");
        assertUsageError(run("--classifier", "--width", "320"), "--width 320 cannot be combined with --classifier");
        assertUsageError(run("--skip", "4"), "--skip 4 leaves no lines: " + statusFile + " has 4 package synopses");
        assertUsageError(run("--count", "100000", "--width", "8192000"), "above the limit of 268435456");
        assertThat(out).doesNotExist();
    }

    private static void assertUsageError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    private List<float[]> readSamples(int valuesPerLine) {
        List<float[]> samples = new ArrayList<>();
        try (SampleSource source = SampleSources.open(out, model, null)) {
            for (Sample sample : source) {
                assertThat(sample.input("x").shape()).containsExactly(1, 3, 48, valuesPerLine / (3 * 48));
                FloatBuffer buffer = sample.input("x").floatValues();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                samples.add(values);
            }
        }
        return samples;
    }

    private CliRun run(String... options) {
        List<String> args = new ArrayList<>(List.of("models", "ocr-lines", "--out", out.toString(),
                "--status-file", statusFile.toString()));
        args.addAll(List.of(options));
        return CliRun.run(args.toArray(String[]::new));
    }
}
