package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares seven forms of all-MiniLM-L6-v2 by size, latency and fidelity:
 * <ul>
 *   <li>{@code fp32}: the float model;</li>
 *   <li>{@code a8w8}: quantized by this engine, QDQ, calibrated on the first 64 package synopses;</li>
 *   <li>{@code dynamic-int8}: quantized by this engine, Dynamic format;</li>
 *   <li>{@code int8-reference}: the published {@code -q} model, made by ONNX Runtime's dynamic quantizer;</li>
 *   <li>{@code a8w8-attention-float}: a diagnostic row, {@code a8w8} with the attention MatMuls of two
 *       activations excluded, which the int8 reference also leaves in float;</li>
 *   <li>{@code a8w8-contrib-fused} and {@code dynamic-int8-contrib-fused}: {@code a8w8} and
 *       {@code dynamic-int8} with {@link OperatorForm#ContribFused}, so that each MatMul with a bias
 *       Add is written as one {@code com.microsoft} MatMulIntegerToFloat or DynamicQuantizeMatMul.</li>
 * </ul>
 * Size is the serialized model in bytes. Latency is one {@code session.run} with batch 1 and
 * 128 tokens (package synopses 65 to 84, padded), measured as {@link LatencyMeasurement}
 * describes, every session with the same {@link OrtSessions#options} and {@code ALL_OPT} graph
 * optimizations. Fidelity is the mean cosine similarity of sentence embeddings to those of
 * {@code fp32} over the 200 held-out synopses 65 to 264, unpadded. The benchmark then saves each
 * model as ONNX Runtime optimized it, counts its op types, and profiles the kernel time per op
 * type, which shows which fusions ONNX Runtime formed and where the time goes.
 *
 * <p>Arguments: intra-op threads (default 2), rounds (default 10), timed runs per model and
 * round (default 10), warm-up runs per model (default 20).
 */
public final class ModelComparisonBenchmark {

    static final int EVALUATION_TEXTS = 200;
    static final int LATENCY_INPUTS = 20;
    static final int PROFILED_RUNS = 30;
    static final int PROFILE_WARM_UP_RUNS = 5;
    static final OptLevel OPTIMIZATION_LEVEL = OptLevel.ALL_OPT;
    static final String FP32 = "fp32";
    static final String A8W8 = "a8w8";
    static final String DYNAMIC_INT8 = "dynamic-int8";
    static final String INT8_REFERENCE = "int8-reference";
    static final String A8W8_ATTENTION_FLOAT = "a8w8-attention-float";
    static final String A8W8_CONTRIB_FUSED = "a8w8-contrib-fused";
    static final String DYNAMIC_INT8_CONTRIB_FUSED = "dynamic-int8-contrib-fused";
    /** The two MatMuls of two activations in each attention block: Q·Kᵀ and softmax·V. */
    static final String ATTENTION_MATMULS = "regex:/encoder/layer\\.\\d+/attention/self/MatMul(_1)?";

    /** One form of the model and where it comes from. */
    record Candidate(String name, String origin, byte[] modelBytes) {
    }

    private ModelComparisonBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int threads = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 2;
        LatencyMeasurement measurement = new LatencyMeasurement(
                arguments.length > 3 ? Integer.parseInt(arguments[3]) : 20,
                arguments.length > 1 ? Integer.parseInt(arguments[1]) : 10,
                arguments.length > 2 ? Integer.parseInt(arguments[2]) : 10);

        BenchmarkReport report = new BenchmarkReport("models-" + threads + "-threads.md",
                "all-MiniLM-L6-v2: fp32, a8w8, dynamic-int8, their ContribFused forms and the int8 reference", threads);
        MiniLmFiles files = MiniLmFiles.extract(BenchmarkFolders.work());
        ModelProto model = files.loadFp32Model();
        List<Candidate> candidates = candidates(files, model, threads);

        List<String> synopses = PackageTexts.synopses();
        int firstHeldOut = MiniLmCalibration.CALIBRATION_TEXTS;
        Path evaluationFile = PackageTexts.write(BenchmarkFolders.work(), "evaluation.txt",
                PackageTexts.slice(synopses, firstHeldOut, firstHeldOut + EVALUATION_TEXTS));
        List<Sample> evaluation = SampleFeeds.read(evaluationFile, model,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false));
        Path latencyFile = PackageTexts.write(BenchmarkFolders.work(), "latency.txt",
                PackageTexts.slice(synopses, firstHeldOut, firstHeldOut + LATENCY_INPUTS));
        List<Sample> latencySamples = SampleFeeds.read(latencyFile, model,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, true));

        double[] meanCosines = meanCosines(candidates, evaluation, threads);
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        try {
            for (Sample sample : latencySamples) {
                feeds.add(SampleFeeds.toOnnxTensors(sample));
            }
            List<LatencyMeasurement.Latencies> latencies = measureLatency(candidates, feeds, threads, measurement);
            reportComparison(report, candidates, latencies, meanCosines, measurement, threads);
            reportOptimizedGraphs(report, candidates, threads);
            reportProfile(report, candidates, feeds, threads);
        } finally {
            feeds.forEach(SampleFeeds::close);
        }
        report.write();
    }

    private static List<Candidate> candidates(MiniLmFiles files, ModelProto model, int threads) throws OrtException {
        QuantConfig a8w8 = Presets.byName(A8W8);
        List<String> calibrationTexts = PackageTexts.slice(PackageTexts.synopses(), 0,
                MiniLmCalibration.CALIBRATION_TEXTS);
        CalibrationStatistics statistics = MiniLmCalibration.calibrate(model, files, calibrationTexts, threads, a8w8);
        byte[] a8w8Bytes = ModelIo.toBytes(QdqQuantizer.quantize(model, a8w8,
                ActivationRanges.fromStatistics(statistics, a8w8)).model());
        byte[] dynamicBytes = ModelIo.toBytes(QdqQuantizer.quantize(model, Presets.byName(DYNAMIC_INT8),
                ActivationRanges.none()).model());
        QuantConfig attentionFloat = a8w8.toBuilder().nodesToExclude(List.of(ATTENTION_MATMULS)).build();
        byte[] attentionFloatBytes = ModelIo.toBytes(QdqQuantizer.quantize(model, attentionFloat,
                ActivationRanges.fromStatistics(statistics, attentionFloat)).model());
        QuantConfig a8w8Fused = a8w8.toBuilder().operatorForm(OperatorForm.ContribFused).build();
        byte[] a8w8FusedBytes = ModelIo.toBytes(QdqQuantizer.quantize(model, a8w8Fused,
                ActivationRanges.fromStatistics(statistics, a8w8Fused)).model());
        QuantConfig dynamicFused = Presets.byName(DYNAMIC_INT8).toBuilder().operatorForm(OperatorForm.ContribFused)
                .build();
        byte[] dynamicFusedBytes = ModelIo.toBytes(QdqQuantizer.quantize(model, dynamicFused,
                ActivationRanges.none()).model());
        writeModel(A8W8, a8w8Bytes);
        writeModel(A8W8_CONTRIB_FUSED, a8w8FusedBytes);
        writeModel(DYNAMIC_INT8_CONTRIB_FUSED, dynamicFusedBytes);
        writeModel(DYNAMIC_INT8, dynamicBytes);
        writeModel(A8W8_ATTENTION_FLOAT, attentionFloatBytes);
        return List.of(
                new Candidate(FP32, MiniLmFiles.FP32_MODEL_RESOURCE, readAllBytes(files.fp32Model())),
                new Candidate(A8W8, "this engine, preset a8w8, " + calibrationTexts.size() + " calibration texts",
                        a8w8Bytes),
                new Candidate(DYNAMIC_INT8, "this engine, preset dynamic-int8", dynamicBytes),
                new Candidate(INT8_REFERENCE, MiniLmFiles.INT8_REFERENCE_RESOURCE
                        + ", ONNX Runtime's dynamic quantizer", readAllBytes(files.int8ReferenceModel())),
                new Candidate(A8W8_ATTENTION_FLOAT, "diagnostic: a8w8 with the 12 attention MatMuls of two "
                        + "activations left in float, as in the int8 reference", attentionFloatBytes),
                new Candidate(A8W8_CONTRIB_FUSED, "this engine, preset a8w8 with operatorForm ContribFused, "
                        + calibrationTexts.size() + " calibration texts", a8w8FusedBytes),
                new Candidate(DYNAMIC_INT8_CONTRIB_FUSED, "this engine, preset dynamic-int8 with operatorForm "
                        + "ContribFused", dynamicFusedBytes));
    }

    private static double[] meanCosines(List<Candidate> candidates, List<Sample> evaluation, int threads)
            throws OrtException {
        List<List<float[]>> embeddings = new ArrayList<>();
        for (Candidate candidate : candidates) {
            try (OrtSession session = OrtSessions.create(candidate.modelBytes(), threads, OPTIMIZATION_LEVEL)) {
                embeddings.add(SentenceEmbeddings.embed(session, evaluation));
            }
        }
        double[] meanCosines = new double[candidates.size()];
        for (int index = 0; index < candidates.size(); index++) {
            meanCosines[index] = SentenceEmbeddings.meanCosine(embeddings.get(0), embeddings.get(index));
        }
        return meanCosines;
    }

    private static List<LatencyMeasurement.Latencies> measureLatency(List<Candidate> candidates,
                                                                     List<Map<String, OnnxTensor>> feeds,
                                                                     int threads, LatencyMeasurement measurement)
            throws OrtException {
        List<OrtSession> sessions = new ArrayList<>();
        try {
            for (Candidate candidate : candidates) {
                sessions.add(OrtSessions.create(candidate.modelBytes(), threads, OPTIMIZATION_LEVEL));
            }
            return measurement.measure(sessions, feeds);
        } finally {
            for (OrtSession session : sessions) {
                session.close();
            }
        }
    }

    private static void reportComparison(BenchmarkReport report, List<Candidate> candidates,
                                         List<LatencyMeasurement.Latencies> latencies, double[] meanCosines,
                                         LatencyMeasurement measurement, int threads) {
        report.add(String.format("Latency: batch 1, %d tokens (padded), %d distinct inputs, %d intra-op threads, "
                        + "%s, %d warm-up runs, then %d rounds of %d runs per model (%d timed runs each). "
                        + "Fidelity: %d held-out texts, unpadded.", MiniLmFiles.MAX_TOKENS, LATENCY_INPUTS, threads,
                OPTIMIZATION_LEVEL, measurement.warmUpRuns(), measurement.rounds(), measurement.runsPerRound(),
                measurement.rounds() * measurement.runsPerRound(), EVALUATION_TEXTS));
        int fp32 = indexOf(candidates, FP32);
        double fp32Bytes = candidates.get(fp32).modelBytes().length;
        double fp32MedianMs = latencies.get(fp32).runs().median();
        MarkdownTable table = new MarkdownTable("Model", "Bytes", "Size / fp32", "Median ms", "IQR ms", "Min–max ms",
                "Latency / fp32", "Mean cosine to fp32", "Source");
        for (int index = 0; index < candidates.size(); index++) {
            Candidate candidate = candidates.get(index);
            Distribution runs = latencies.get(index).runs();
            table.row(candidate.name(), candidate.modelBytes().length,
                    String.format("%.3f", candidate.modelBytes().length / fp32Bytes),
                    String.format("%.2f", runs.median()), String.format("%.2f–%.2f", runs.p25(), runs.p75()),
                    String.format("%.2f–%.2f", runs.min(), runs.max()),
                    String.format("%.2f", runs.median() / fp32MedianMs), String.format("%.4f", meanCosines[index]),
                    candidate.origin());
        }
        report.add(table);

        MarkdownTable ratios = new MarkdownTable("Ratio", "Size", "Latency (ratio of medians)",
                "Latency (per-round ratio: median, min–max)");
        List<List<String>> pairs = List.of(List.of(A8W8, FP32), List.of(A8W8, INT8_REFERENCE),
                List.of(A8W8, DYNAMIC_INT8), List.of(A8W8_ATTENTION_FLOAT, INT8_REFERENCE),
                List.of(A8W8_CONTRIB_FUSED, INT8_REFERENCE), List.of(DYNAMIC_INT8_CONTRIB_FUSED, INT8_REFERENCE),
                List.of(DYNAMIC_INT8, INT8_REFERENCE), List.of(A8W8_CONTRIB_FUSED, A8W8));
        for (List<String> pair : pairs) {
            int numerator = indexOf(candidates, pair.get(0));
            int denominator = indexOf(candidates, pair.get(1));
            Distribution paired = LatencyMeasurement.pairedRatio(latencies.get(numerator), latencies.get(denominator));
            ratios.row(pair.get(0) + " / " + pair.get(1),
                    String.format("%.3f", (double) candidates.get(numerator).modelBytes().length
                            / candidates.get(denominator).modelBytes().length),
                    String.format("%.2f", latencies.get(numerator).runs().median()
                            / latencies.get(denominator).runs().median()),
                    String.format("%.2f, %.2f–%.2f", paired.median(), paired.min(), paired.max()));
        }
        report.add(ratios);
    }

    private static void reportOptimizedGraphs(BenchmarkReport report, List<Candidate> candidates, int threads)
            throws OrtException {
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Path file = BenchmarkFolders.work().resolve("optimized-" + candidate.name() + ".onnx");
            counts.add(OptimizedGraphs.opTypeCounts(candidate.modelBytes(), threads, OPTIMIZATION_LEVEL, file));
        }
        TreeSet<String> opTypes = new TreeSet<>();
        counts.forEach(count -> opTypes.addAll(count.keySet()));
        report.add("## Nodes after ONNX Runtime's " + OPTIMIZATION_LEVEL + " graph optimizations\n\n"
                + "Written with SessionOptions.setOptimizedModelFilePath to "
                + BenchmarkFolders.work().resolve("optimized-<model>.onnx") + ".");
        report.add(opTypeTable(candidates, opTypes, index -> counts.get(index.candidate()).getOrDefault(index.opType(), 0),
                "%d"));
    }

    private static void reportProfile(BenchmarkReport report, List<Candidate> candidates,
                                      List<Map<String, OnnxTensor>> feeds, int threads) throws OrtException {
        List<NodeProfile.Times> times = NodeProfile.profile(
                candidates.stream().map(Candidate::modelBytes).toList(), threads, OPTIMIZATION_LEVEL, feeds,
                PROFILE_WARM_UP_RUNS, PROFILED_RUNS,
                candidates.stream().map(candidate -> BenchmarkFolders.work().resolve("profile-" + candidate.name()))
                        .toList());
        TreeSet<String> opTypes = new TreeSet<>();
        times.forEach(time -> opTypes.addAll(time.kernelMsByOpType().keySet()));
        report.add("## Kernel time per op type (ONNX Runtime profiler)\n\n"
                + "Mean milliseconds per run over " + PROFILED_RUNS + " profiled runs after " + PROFILE_WARM_UP_RUNS
                + " warm-up runs, models interleaved run by run, same inputs and options as the latency table. "
                + "Profiled model_run per run: "
                + String.join(", ", candidates.stream().map(candidate -> String.format("%s %.2f ms", candidate.name(),
                        times.get(candidates.indexOf(candidate)).modelRunMs())).toList()) + ".");
        report.add(opTypeTable(candidates, opTypes,
                index -> times.get(index.candidate()).kernelMsByOpType().getOrDefault(index.opType(), 0.0), "%.2f"));
    }

    /** Cell position in an op type table. */
    private record Cell(int candidate, String opType) {
    }

    private static MarkdownTable opTypeTable(List<Candidate> candidates, TreeSet<String> opTypes,
                                             java.util.function.Function<Cell, Number> value, String format) {
        String[] headers = new String[candidates.size() + 1];
        headers[0] = "Op type";
        for (int index = 0; index < candidates.size(); index++) {
            headers[index + 1] = candidates.get(index).name();
        }
        MarkdownTable table = new MarkdownTable(headers);
        for (String opType : opTypes) {
            Object[] row = new Object[candidates.size() + 1];
            row[0] = opType;
            for (int index = 0; index < candidates.size(); index++) {
                row[index + 1] = String.format(format, value.apply(new Cell(index, opType)));
            }
            table.row(row);
        }
        return table;
    }

    private static int indexOf(List<Candidate> candidates, String name) {
        for (int index = 0; index < candidates.size(); index++) {
            if (candidates.get(index).name().equals(name)) {
                return index;
            }
        }
        throw new IllegalArgumentException("No model named " + name + " among "
                + Arrays.toString(candidates.stream().map(Candidate::name).toArray()));
    }

    private static void writeModel(String name, byte[] bytes) {
        Path file = BenchmarkFolders.work().resolve("minilm-" + name + ".onnx");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file, e);
        }
    }

    private static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
    }
}
