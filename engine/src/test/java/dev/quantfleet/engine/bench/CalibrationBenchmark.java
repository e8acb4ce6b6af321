package dev.quantfleet.engine.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.quantfleet.engine.calibration.CalibrationRun;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.CalibrationTargets;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.testing.ModelFiles;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures calibration on the fp32 all-MiniLM-L6-v2 model against plain inference over the same
 * texts, and the heap that calibration needs for 100 and for 1000 samples. The texts are the
 * {@code Description:} fields of {@code /var/lib/dpkg/status}, repeated where there are fewer
 * than needed, tokenized to at most {@link TextOptions#DEFAULT_MAX_LENGTH} tokens. Each timing
 * is repeated in alternating rounds over the same tokenized samples, and the minimum is the
 * figure least disturbed by other processes. Not a test: it prints its numbers.
 *
 * <p>Run from the repository root (arguments: intra-op threads, default 2, and the graph
 * optimization level of both sessions, default {@link Calibrator#DEFAULT_OPTIMIZATION_LEVEL}):
 * <pre>
 *   ./mvnw -B -q test-compile dependency:build-classpath -pl engine \
 *       -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 *   java -Xmx2g -cp engine/target/test-classes:engine/target/classes:$(cat engine/target/test-classpath.txt) \
 *       dev.quantfleet.engine.bench.CalibrationBenchmark 2 BASIC_OPT
 * </pre>
 */
public final class CalibrationBenchmark {

    private static final Path DPKG_STATUS = Path.of("/var/lib/dpkg/status");
    private static final int TIMED_SAMPLES = 200;
    private static final int WARM_UP_SAMPLES = 20;
    private static final int ROUNDS = 5;

    private CalibrationBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int threads = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 2;
        OptLevel level = arguments.length > 1 ? OptLevel.valueOf(arguments[1]) : Calibrator.DEFAULT_OPTIMIZATION_LEVEL;
        Path work = Files.createTempDirectory("quantfleet-calibration-benchmark");
        Path modelFile = ModelFiles.resourceFile(ModelFiles.MINILM_MODEL, work);
        Path tokenizer = ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER, work);
        ModelProto model = ModelFiles.load(modelFile);
        List<String> texts = descriptions(1000);
        TextOptions textOptions = TextOptions.of(tokenizer);

        System.out.println(Provenance.current(threads));
        List<String> tensors = CalibrationTargets.floatTensors(model);
        System.out.printf("float tensors calibrated: %d of %d node outputs%n", tensors.size(),
                model.getGraph().getNodeList().stream().mapToInt(node -> node.getOutputCount()).sum());

        Path timedTexts = writeTexts(work, "timed.txt", texts.subList(0, TIMED_SAMPLES));
        Calibrator calibrator = new Calibrator(model, tensors, threads, 4096, level);
        List<Sample> loaded = new ArrayList<>();
        try (SampleSource samples = SampleSources.open(timedTexts, model, textOptions)) {
            samples.forEach(loaded::add);
        }
        System.out.printf("%d texts, %d tokens, graph optimization level %s, %d rounds%n", loaded.size(),
                loaded.stream().mapToLong(sample -> sample.input("input_ids").elementCount()).sum(), level, ROUNDS);
        try (OrtSession plain = OrtSessions.create(model.toByteArray(), threads, level);
             OrtSession augmented = OrtSessions.create(calibrator.augmentedModel().toByteArray(), threads, level);
             CalibrationRun calibration = calibrator.open()) {
            List<Sample> warmUp = loaded.subList(0, WARM_UP_SAMPLES);
            infer(plain, warmUp);
            infer(augmented, warmUp);
            calibration.addAll(warmUp);
            double[] plainMs = new double[ROUNDS];
            double[] augmentedMs = new double[ROUNDS];
            double[] calibrationMs = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                plainMs[round] = infer(plain, loaded);
                augmentedMs[round] = infer(augmented, loaded);
                long start = System.nanoTime();
                calibration.addAll(loaded);
                calibrationMs[round] = (System.nanoTime() - start) / 1e6;
            }
            report("plain inference", plainMs);
            report("augmented model, outputs not read", augmentedMs);
            report("calibration", calibrationMs);
            System.out.printf("calibration / plain inference: %.2f (minimum over rounds), %.2f (median)%n",
                    min(calibrationMs) / min(plainMs), median(calibrationMs) / median(plainMs));
        }

        for (int count : new int[] {100, 1000}) {
            Path file = writeTexts(work, count + ".txt", texts.subList(0, count));
            try (SampleSource samples = SampleSources.open(file, model, textOptions)) {
                HeapPeak peak = HeapPeak.start();
                long start = System.nanoTime();
                CalibrationStatistics statistics = calibrator.calibrate(samples);
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("%4d samples: %6.0f ms, peak heap after GC %5.1f MiB, peak heap used %6.1f MiB, "
                                + "statistics JSON %5.1f MiB%n", count, ms, peak.maxLiveBytes() / 1048576.0,
                        peak.maxUsedBytes() / 1048576.0, statistics.toJson().length() / 1048576.0);
                peak.stop();
            }
        }
    }

    /** Runs every sample through {@code session} and returns the wall time in milliseconds. */
    private static double infer(OrtSession session, List<Sample> samples) throws OrtException {
        long start = System.nanoTime();
        for (Sample sample : samples) {
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
                    inputs.put(input.getKey(), input.getValue().toOnnxTensor(OrtSessions.environment()));
                }
                session.run(inputs).close();
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void report(String label, double[] roundsMs) {
        System.out.printf("%-36s min %7.0f ms, median %7.0f ms, per sample %5.2f ms (min)%n", label + ":",
                min(roundsMs), median(roundsMs), min(roundsMs) / TIMED_SAMPLES);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Reads the Description fields of the dpkg status file, each as one line of text (the synopsis and
     * the extended description, without the {@code " ."} paragraph marks), repeated until there
     * are {@code count}.
     */
    static List<String> descriptions(int count) throws IOException {
        List<String> found = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(DPKG_STATUS)) {
            if (current != null && line.startsWith(" ")) {
                String text = line.trim();
                if (!text.equals(".")) {
                    current.append(' ').append(text);
                }
                continue;
            }
            if (current != null) {
                found.add(current.toString().trim());
                current = null;
            }
            if (line.startsWith("Description:")) {
                current = new StringBuilder(line.substring("Description:".length()).trim());
            }
        }
        if (current != null) {
            found.add(current.toString().trim());
        }
        found.removeIf(String::isEmpty);
        if (found.isEmpty()) {
            throw new IllegalStateException(DPKG_STATUS + " has no Description fields");
        }
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(found.get(i % found.size()));
        }
        return texts;
    }

    private static Path writeTexts(Path folder, String name, List<String> texts) throws IOException {
        return Files.write(folder.resolve(name), texts);
    }

    /** Tracks the largest heap occupancy after any garbage collection, and the pools' peak usage. */
    private static final class HeapPeak {

        private final AtomicLong maxLiveBytes = new AtomicLong();
        private final NotificationListener listener = (notification, handback) -> {
            if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(MemoryUsage::getUsed).sum();
                maxLiveBytes.accumulateAndGet(used, Math::max);
            }
        };

        static HeapPeak start() {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(pool -> pool.resetPeakUsage());
            HeapPeak peak = new HeapPeak();
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener(peak.listener, null, null);
            }
            return peak;
        }

        long maxLiveBytes() {
            return maxLiveBytes.get();
        }

        long maxUsedBytes() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed())
                    .sum();
        }

        void stop() throws Exception {
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).removeNotificationListener(listener);
            }
        }
    }
}
