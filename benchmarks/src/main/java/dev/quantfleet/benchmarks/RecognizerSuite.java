package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.evaluation.TextRecognitionMetrics;
import dev.quantfleet.engine.external.PaddleOcrModels;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchStrategies;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recognizer part of the {@link VisionSuite}: writes the search data, makes the rows, scores
 * each row on the clean and the hard report lines against fp32, times single lines, and adds the
 * table and the character error rate targets.
 */
final class RecognizerSuite {

    /** Latency procedure: warm-up runs per session, then rounds of consecutive runs per session. */
    private static final LatencyMeasurement LATENCY = new LatencyMeasurement(3, 6, 5);

    private final VisionSuite.Settings settings;
    private final PaddleOcrModels models;
    private final List<String> characters;
    private final VisionData data;
    private final Path work;
    private final BenchmarkReport report;

    RecognizerSuite(VisionSuite.Settings settings, PaddleOcrModels models, List<String> characters, VisionData data,
                    Path work, BenchmarkReport report) {
        this.settings = settings;
        this.models = models;
        this.characters = characters;
        this.data = data;
        this.work = work;
        this.report = report;
    }

    /** Runs the recognizer part and returns its rows; adds its targets to {@code targets}. */
    List<VisionResults.RecognizerRow> run(List<VisionResults.Target> targets) throws Exception {
        report.add("## Recognizer: " + models.recognizer().getFileName());
        List<QuantizedVariants.Variant> variants = new QuantizedVariants(settings, report, targets)
                .make("Recognizer", searchSpec(), work);

        report.add("Load average before scoring the recognizer rows: " + MachineDescription.readLoadAverage() + ".");
        CtcGreedyDecoder decoder = new CtcGreedyDecoder(characters);
        List<VisionResults.RecognizerRow> rows = new ArrayList<>();
        try (OcrSessions sessions = OcrSessions.open(variants)) {
            List<RecognizerQuality> clean = RecognizerQuality.measure(sessions.sessions(), data.clean(), decoder,
                    settings.threads());
            List<RecognizerQuality> hard = RecognizerQuality.measure(sessions.sessions(), data.hard(), decoder,
                    settings.threads());
            List<LatencyMeasurement.Latencies> latencies = measureLatency(sessions);
            for (int index = 0; index < variants.size(); index++) {
                QuantizedVariants.Variant variant = variants.get(index);
                rows.add(new VisionResults.RecognizerRow(variant.name(), variant.origin(), variant.modelBytes().length,
                        VisionSuite.sha256(variant.modelBytes()), VisionResults.RecognizerSet.of(clean.get(index)),
                        VisionResults.RecognizerSet.of(hard.get(index)), VisionResults.LatencyMs.of(latencies.get(index)),
                        variant.search()));
            }
        }
        report.add(table(rows));
        addTargets(rows, targets);
        return rows;
    }

    private LocalSearchSpec searchSpec() {
        Path calibration = OcrDataFiles.writeRecognizerInput(work.resolve("recognizer-calibration.npy"),
                data.calibration());
        Path evaluation = OcrDataFiles.writeRecognizerInput(work.resolve("recognizer-search.npy"),
                data.recognizerSearch());
        Path labels = OcrDataFiles.writeTextLabels(work.resolve("recognizer-search-labels.txt"), data.recognizerSearch(),
                characters);
        SearchGoal goal = SearchGoal.absolute(TextRecognitionMetrics.CER, MetricDirection.LOWER_IS_BETTER,
                VisionSuite.MAX_CER_DROP);
        return new LocalSearchSpec(models.recognizer(), calibration, evaluation, labels, null, goal,
                SearchStrategies.AUTO, SearchBudget.trials(settings.maxTrials()), VisionSuite.SEED, settings.threads(),
                EvaluationSettings.of(1), null);
    }

    private List<LatencyMeasurement.Latencies> measureLatency(OcrSessions sessions) throws Exception {
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        try {
            for (OcrLine line : data.hard().subList(0, Math.min(settings.latencyLines(), data.hard().size()))) {
                feeds.add(OcrModelRuns.recognizerFeed(sessions.sessions().get(0), line));
            }
            return LATENCY.measure(sessions.sessions(), feeds);
        } finally {
            feeds.forEach(OnnxValue::close);
        }
    }

    private static MarkdownTable table(List<VisionResults.RecognizerRow> rows) {
        MarkdownTable table = new MarkdownTable("Recognizer", "Size MB", "CER hard [95 % CI]",
                "Exact hard [95 % CI]", "CER clean [95 % CI]", "Exact clean [95 % CI]",
                "Frame cosine / top-1 vs fp32 (hard)", "Latency ms, median (p10-p90)", "Search s", "Candidates",
                "Nodes kept higher");
        for (VisionResults.RecognizerRow row : rows) {
            VisionResults.RecognizerSet hard = row.hard();
            VisionResults.RecognizerSet clean = row.clean();
            table.row(row.name(), String.format("%.2f", row.sizeBytes() / 1e6),
                    String.format("%.4f [%.4f, %.4f]", hard.cer(), hard.cerLow(), hard.cerHigh()),
                    String.format("%.3f [%.3f, %.3f]", hard.exactMatch(), hard.exactMatchLow(), hard.exactMatchHigh()),
                    String.format("%.4f [%.4f, %.4f]", clean.cer(), clean.cerLow(), clean.cerHigh()),
                    String.format("%.3f [%.3f, %.3f]", clean.exactMatch(), clean.exactMatchLow(),
                            clean.exactMatchHigh()),
                    String.format("%.4f / %.4f", hard.meanFrameCosine(), hard.frameAgreement()),
                    VisionTables.latency(row.latency()), VisionTables.searchSeconds(row.search()),
                    VisionTables.candidates(row.search()), VisionTables.nodesKept(row.search()));
        }
        return table;
    }

    private static void addTargets(List<VisionResults.RecognizerRow> rows, List<VisionResults.Target> targets) {
        double fp32 = rows.get(0).hard().cer();
        for (VisionResults.RecognizerRow row : rows) {
            if (row.search() == null) {
                continue;
            }
            double increase = row.hard().cer() - fp32;
            targets.add(new VisionResults.Target("Recognizer CER on the hard lines, " + row.name() + " minus fp32",
                    String.format("%+.4f (%.4f vs %.4f)", increase, row.hard().cer(), fp32),
                    String.format("at most %+.4f", VisionSuite.MAX_CER_DROP), increase <= VisionSuite.MAX_CER_DROP));
        }
    }
}
