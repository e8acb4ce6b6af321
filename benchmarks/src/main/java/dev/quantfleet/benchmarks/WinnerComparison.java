package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares search winners with fp32, a8w8 and the int8 reference, side by side:
 * <ul>
 *   <li>retrieval quality on query/document pairs ({@link RetrievalQuality});</li>
 *   <li>fidelity: mean cosine of sentence embeddings to fp32 over the held-out synopses 65 to
 *       264, unpadded, as the models benchmark measures it;</li>
 *   <li>size in bytes;</li>
 *   <li>latency at {@value #LATENCY_THREADS} intra-op thread: batch 1, synopses 65 to 84 padded
 *       to 128 tokens, {@code ALL_OPT}, measured as {@link LatencyMeasurement} describes.</li>
 * </ul>
 */
final class WinnerComparison {

    static final int LATENCY_THREADS = 1;
    static final int LATENCY_INPUTS = 20;
    static final int FIDELITY_TEXTS = 200;
    static final OptLevel OPTIMIZATION_LEVEL = OptLevel.ALL_OPT;
    static final LatencyMeasurement LATENCY = new LatencyMeasurement(20, 10, 10);

    private WinnerComparison() {
    }

    /** Measures every model of {@code models} (the first is fp32) and adds the table to {@code report}. */
    static void report(BenchmarkReport report, MiniLmFiles files, ModelProto floatModel, Path qualityPairs,
                       int qualityPairCount, int threads, List<NamedModel> models) throws OrtException {
        List<Map<String, Double>> quality = RetrievalQuality.score(floatModel, qualityPairs,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false), threads, models);
        double[] cosines = meanCosines(files, floatModel, threads, models);
        List<LatencyMeasurement.Latencies> latencies = latencies(files, floatModel, models);

        report.add(String.format("Quality: recall@1, recall@10 and MRR over %d query/document pairs (%s), scored by "
                        + "the engine's ModelEvaluator. Fidelity: mean cosine of sentence embeddings to fp32 over "
                        + "%d held-out synopses, unpadded, %d threads. Latency: batch 1, %d tokens (padded), %d "
                        + "distinct inputs, %d intra-op thread, %s, %d warm-up runs, then %d rounds of %d runs per "
                        + "model; median and 10th to 90th percentile of the %d timed runs.", qualityPairCount,
                qualityPairs.getFileName(), FIDELITY_TEXTS, threads, MiniLmFiles.MAX_TOKENS, LATENCY_INPUTS,
                LATENCY_THREADS, OPTIMIZATION_LEVEL, LATENCY.warmUpRuns(), LATENCY.rounds(), LATENCY.runsPerRound(),
                LATENCY.rounds() * LATENCY.runsPerRound()));
        MarkdownTable table = new MarkdownTable("Model", "Recall@1", "Recall@10", "MRR", "Mean cosine to fp32",
                "Bytes", "Median ms", "p10–p90 ms", "Source");
        for (int index = 0; index < models.size(); index++) {
            NamedModel model = models.get(index);
            double[] runMs = latencies.get(index).runMs();
            table.row(model.name(), String.format("%.4f", quality.get(index).get(RetrievalQuality.RECALL_AT_1)),
                    String.format("%.4f", quality.get(index).get(RetrievalQuality.RECALL_AT_10)),
                    String.format("%.4f", quality.get(index).get(RetrievalQuality.MRR)),
                    String.format("%.4f", cosines[index]), String.format("%,d", model.modelBytes().length),
                    String.format("%.2f", Distribution.of(runMs).median()),
                    String.format("%.2f–%.2f", Distribution.quantileOf(runMs, 0.1), Distribution.quantileOf(runMs, 0.9)),
                    model.origin());
        }
        report.add(table);
    }

    private static double[] meanCosines(MiniLmFiles files, ModelProto floatModel, int threads, List<NamedModel> models)
            throws OrtException {
        int first = MiniLmCalibration.CALIBRATION_TEXTS;
        Path textFile = PackageTexts.write(BenchmarkFolders.work(), "fidelity.txt",
                PackageTexts.slice(PackageTexts.synopses(), first, first + FIDELITY_TEXTS));
        List<Sample> samples = SampleFeeds.read(textFile, floatModel,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false));
        List<List<float[]>> embeddings = new ArrayList<>();
        for (NamedModel model : models) {
            try (OrtSession session = OrtSessions.create(model.modelBytes(), threads, OPTIMIZATION_LEVEL)) {
                embeddings.add(SentenceEmbeddings.embed(session, samples));
            }
        }
        double[] cosines = new double[models.size()];
        for (int index = 0; index < models.size(); index++) {
            cosines[index] = SentenceEmbeddings.meanCosine(embeddings.get(0), embeddings.get(index));
        }
        return cosines;
    }

    private static List<LatencyMeasurement.Latencies> latencies(MiniLmFiles files, ModelProto floatModel,
                                                                List<NamedModel> models) throws OrtException {
        int first = MiniLmCalibration.CALIBRATION_TEXTS;
        Path textFile = PackageTexts.write(BenchmarkFolders.work(), "latency.txt",
                PackageTexts.slice(PackageTexts.synopses(), first, first + LATENCY_INPUTS));
        List<Sample> samples = SampleFeeds.read(textFile, floatModel,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, true));
        return LATENCY.measureModels(models.stream().map(NamedModel::modelBytes).toList(), samples, LATENCY_THREADS,
                OPTIMIZATION_LEVEL);
    }
}
