package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.calibration.CalibrationRun;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.CalibrationTargets;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures what calibration of the fp32 all-MiniLM-L6-v2 costs, in time against plain inference
 * over the same texts, and in heap for 100 and for 1000 samples. The texts are package
 * descriptions (synopsis and extended description) truncated to 128 tokens and not padded.
 *
 * <p>Time: 200 texts are tokenized into memory first. For each tensor set (the tensors that
 * {@code a8w8} needs, {@link QdqQuantizer#tensorsToCalibrate}, which {@code quantfleet apply}
 * calibrates, and every float tensor, {@link CalibrationTargets#floatTensors}), rounds alternate
 * three passes over the 200 samples: plain inference on the fp32 model, the augmented model run
 * without reading its outputs, and calibration ({@link CalibrationRun#addAll}). Every pass
 * creates the input tensors per sample, and every session uses the same threads. Plain
 * inference runs at {@code ALL_OPT}, as a deployed model would; the augmented model and
 * calibration run at the calibration's optimization level. Target: calibration at most 1.3
 * times plain inference.
 *
 * <p>Heap: each sample count runs in a fresh JVM with the same options ({@value #PROBE_HEAP_OPTION},
 * G1), so that neither run inherits the other's garbage, JIT state or heap sizing. The child
 * loads the model, prepares the calibrator and opens the texts, then reports the heap that
 * {@link HeapPeak} measures around {@link Calibrator#calibrate}: the live heap before, the
 * largest heap after any collection during, and the live heap after with the statistics still
 * referenced, plus the process's peak resident set size, which includes ONNX Runtime's native
 * memory. The 1000 texts repeat the package descriptions where the database contains fewer.
 *
 * <p>Arguments: intra-op threads (default 2), rounds (default 5), graph optimization level of
 * calibration (default {@link Calibrator#DEFAULT_OPTIMIZATION_LEVEL}), and {@code no-heap} to
 * leave out the heap measurement.
 */
public final class CalibrationBenchmark {

    static final int TIMED_SAMPLES = 200;
    static final int WARM_UP_SAMPLES = 20;
    static final List<Integer> HEAP_SAMPLE_COUNTS = List.of(100, 1000);
    static final String PROBE_HEAP_OPTION = "-Xmx2g";
    static final double TARGET_RATIO = 1.3;
    static final OptLevel PLAIN_INFERENCE_LEVEL = OptLevel.ALL_OPT;
    private static final String PROBE_ARGUMENT = "--heap-probe";
    private static final String PROBE_LINE_PREFIX = "heap-probe.";

    private CalibrationBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length > 0 && arguments[0].equals(PROBE_ARGUMENT)) {
            probeHeap(Integer.parseInt(arguments[1]), Integer.parseInt(arguments[2]), OptLevel.valueOf(arguments[3]));
            return;
        }
        int threads = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 2;
        int rounds = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 5;
        OptLevel level = arguments.length > 2 ? OptLevel.valueOf(arguments[2]) : Calibrator.DEFAULT_OPTIMIZATION_LEVEL;
        boolean measureHeap = arguments.length <= 3 || !arguments[3].equals("no-heap");

        BenchmarkReport report = new BenchmarkReport("calibration-" + threads + "-threads-" + level + ".md",
                "Calibration cost on all-MiniLM-L6-v2", threads);
        MiniLmFiles files = MiniLmFiles.extract(BenchmarkFolders.work());
        ModelProto model = files.loadFp32Model();
        List<String> texts = PackageTexts.slice(PackageTexts.extendedTexts(), 0, TIMED_SAMPLES);
        Path textFile = PackageTexts.write(BenchmarkFolders.work(), "calibration-timed.txt", texts);
        List<Sample> samples = SampleFeeds.read(textFile, model, textOptions(files));
        long tokens = samples.stream().mapToLong(sample -> sample.input("input_ids").elementCount()).sum();
        report.add(String.format("%d texts, %d tokens (mean %.1f per text), plain inference at %s, augmented model "
                        + "and calibration at %s, %d rounds after a warm-up of %d samples per pass. Times are per "
                        + "pass over all %d texts, in ms: median (IQR, range).", samples.size(), tokens,
                (double) tokens / samples.size(), PLAIN_INFERENCE_LEVEL, level, rounds, WARM_UP_SAMPLES,
                samples.size()));

        MarkdownTable table = new MarkdownTable("Tensor set", "Tensors", "Plain inference ms", "Augmented model ms",
                "Calibration ms", "Calibration / plain (medians)", "Per-round ratio (median, min–max)");
        Map<String, List<String>> tensorSets = new LinkedHashMap<>();
        tensorSets.put("a8w8 (tensorsToCalibrate)", QdqQuantizer.tensorsToCalibrate(model));
        tensorSets.put("all float tensors", CalibrationTargets.floatTensors(model));
        List<Double> headlineRatios = new ArrayList<>();
        for (Map.Entry<String, List<String>> tensorSet : tensorSets.entrySet()) {
            PassTimes times = timePasses(model, tensorSet.getValue(), samples, threads, level, rounds);
            Distribution plain = Distribution.of(times.plainMs());
            Distribution augmented = Distribution.of(times.augmentedMs());
            Distribution calibration = Distribution.of(times.calibrationMs());
            Distribution perRound = Distribution.of(times.perRoundRatios());
            headlineRatios.add(calibration.median() / plain.median());
            table.row(tensorSet.getKey(), tensorSet.getValue().size(), plain.describe(0), augmented.describe(0),
                    calibration.describe(0), String.format("%.2f", calibration.median() / plain.median()),
                    String.format("%.2f, %.2f–%.2f", perRound.median(), perRound.min(), perRound.max()));
        }
        report.add(table);
        report.add(String.format("Target: calibration of the a8w8 tensors at most %.1f x plain inference: %s "
                + "(%.2f x, ratio of medians).", TARGET_RATIO, headlineRatios.get(0) <= TARGET_RATIO ? "met" : "MISSED",
                headlineRatios.get(0)));

        if (measureHeap) {
            reportHeap(report, threads, level);
        }
        report.write();
    }

    private static TextOptions textOptions(MiniLmFiles files) {
        return new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false);
    }

    /** Times of each round's three passes over the samples, in milliseconds. */
    private record PassTimes(double[] plainMs, double[] augmentedMs, double[] calibrationMs) {

        double[] perRoundRatios() {
            double[] ratios = new double[plainMs.length];
            for (int round = 0; round < ratios.length; round++) {
                ratios[round] = calibrationMs[round] / plainMs[round];
            }
            return ratios;
        }
    }

    private static PassTimes timePasses(ModelProto model, List<String> tensors, List<Sample> samples, int threads,
                                        OptLevel level, int rounds) throws OrtException {
        Calibrator calibrator = new Calibrator(model, tensors, threads, CalibrationParameters.DEFAULTS.numBins(),
                level);
        try (OrtSession plain = OrtSessions.create(model.toByteArray(), threads, PLAIN_INFERENCE_LEVEL);
             OrtSession augmented = OrtSessions.create(calibrator.augmentedModel().toByteArray(), threads, level);
             CalibrationRun calibration = calibrator.open()) {
            List<Sample> warmUp = samples.subList(0, WARM_UP_SAMPLES);
            infer(plain, warmUp);
            infer(augmented, warmUp);
            calibration.addAll(warmUp);
            PassTimes times = new PassTimes(new double[rounds], new double[rounds], new double[rounds]);
            for (int round = 0; round < rounds; round++) {
                times.plainMs()[round] = infer(plain, samples);
                times.augmentedMs()[round] = infer(augmented, samples);
                long start = System.nanoTime();
                calibration.addAll(samples);
                times.calibrationMs()[round] = (System.nanoTime() - start) / 1e6;
            }
            return times;
        }
    }

    /** Runs every sample through {@code session} and returns the wall time in milliseconds. */
    private static double infer(OrtSession session, List<Sample> samples) throws OrtException {
        long start = System.nanoTime();
        for (Sample sample : samples) {
            Map<String, OnnxTensor> inputs = SampleFeeds.toOnnxTensors(sample);
            try {
                session.run(inputs).close();
            } finally {
                SampleFeeds.close(inputs);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void reportHeap(BenchmarkReport report, int threads, OptLevel level)
            throws IOException, InterruptedException {
        MarkdownTable table = new MarkdownTable("Samples", "Calibration ms", "Live heap before MiB",
                "Max heap after GC during MiB", "Live heap after MiB", "Peak heap used MiB", "Peak RSS MiB",
                "Statistics JSON MiB");
        for (int count : HEAP_SAMPLE_COUNTS) {
            Map<String, String> probe = runHeapProbe(count, threads, level);
            table.row(count, probe.get("calibrationMs"), mebibytes(probe, "liveBytesBefore"),
                    mebibytes(probe, "maxBytesAfterGc"), mebibytes(probe, "liveBytesAfter"),
                    mebibytes(probe, "peakUsedBytes"), mebibytes(probe, "peakResidentBytes"),
                    mebibytes(probe, "statisticsJsonBytes"));
        }
        report.add("## Heap for 100 and 1000 samples\n\nOne JVM per row: `java " + PROBE_HEAP_OPTION
                + " -XX:+UseG1GC ... CalibrationBenchmark " + PROBE_ARGUMENT + " COUNT " + threads + " " + level
                + "`, tensors of "
                + "a8w8, 4096 histogram bins. \"Live\" is heap used right after System.gc(); \"max heap after GC "
                + "during\" is the largest heap left after any collection while calibrating (the collectors' "
                + "notifications); \"peak heap used\" is the heap pools' peak usage, garbage included; RSS is "
                + "VmHWM of /proc/self/status, native memory of ONNX Runtime included.");
        report.add(table);
    }

    private static String mebibytes(Map<String, String> probe, String key) {
        return String.format("%.1f", Long.parseLong(probe.get(key)) / 1048576.0);
    }

    /** Starts this class in a fresh JVM with {@code --heap-probe} and returns the values it prints. */
    private static Map<String, String> runHeapProbe(int count, int threads, OptLevel level)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), PROBE_HEAP_OPTION, "-XX:+UseG1GC",
                "-D" + BenchmarkFolders.TARGET_PROPERTY + "=" + BenchmarkFolders.work().getParent(),
                "-cp", System.getProperty("java.class.path"), CalibrationBenchmark.class.getName(),
                PROBE_ARGUMENT, Integer.toString(count), Integer.toString(threads), level.name()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> values = new LinkedHashMap<>();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(PROBE_LINE_PREFIX)) {
                    int equals = line.indexOf('=');
                    values.put(line.substring(PROBE_LINE_PREFIX.length(), equals), line.substring(equals + 1));
                }
            }
        }
        int exitCode = process.waitFor();
        if (exitCode != 0) {
            throw new IllegalStateException("Heap probe for " + count + " samples exited with " + exitCode
                    + "; its standard error is above. Command: " + String.join(" ", command));
        }
        return values;
    }

    /** Calibrates {@code count} samples in the child JVM and prints the heap measurements. */
    private static void probeHeap(int count, int threads, OptLevel level) throws OrtException {
        MiniLmFiles files = MiniLmFiles.extract(BenchmarkFolders.work());
        ModelProto model = files.loadFp32Model();
        List<String> texts = PackageTexts.repeatedTo(PackageTexts.extendedTexts(), count);
        Path textFile = PackageTexts.write(BenchmarkFolders.work(), "calibration-heap-" + count + ".txt", texts);
        Calibrator calibrator = new Calibrator(model, QdqQuantizer.tensorsToCalibrate(model), threads,
                CalibrationParameters.DEFAULTS.numBins(), level);
        try (SampleSource samples = SampleSources.open(textFile, model, textOptions(files))) {
            long liveBytesBefore = HeapPeak.liveBytesAfterFullGc();
            CalibrationStatistics statistics;
            long calibrationNanos;
            try (HeapPeak peak = HeapPeak.start()) {
                long start = System.nanoTime();
                statistics = calibrator.calibrate(samples);
                calibrationNanos = System.nanoTime() - start;
                print("maxBytesAfterGc", peak.maxBytesAfterGc());
                print("peakUsedBytes", peak.peakUsedBytes());
            }
            print("liveBytesAfter", HeapPeak.liveBytesAfterFullGc());
            print("liveBytesBefore", liveBytesBefore);
            print("calibrationMs", Math.round(calibrationNanos / 1e6));
            print("peakResidentBytes", HeapPeak.peakResidentBytes());
            print("statisticsJsonBytes", statistics.toJson().getBytes(StandardCharsets.UTF_8).length);
            Reference.reachabilityFence(statistics);
        }
    }

    private static void print(String key, long value) {
        System.out.println(PROBE_LINE_PREFIX + key + "=" + value);
    }
}
