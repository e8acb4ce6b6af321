package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
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
 * The orientation classifier part of the {@link VisionSuite}: writes the search data, makes the
 * rows, scores each row on the clean and the hard report lines (every second one turned)
 * against fp32, times single lines, and adds the table and the accuracy targets.
 */
final class ClassifierSuite {

    static final String METRIC = "accuracy";
    private static final LatencyMeasurement LATENCY = new LatencyMeasurement(5, 6, 10);

    private final VisionSuite.Settings settings;
    private final PaddleOcrModels models;
    private final VisionData data;
    private final Path work;
    private final BenchmarkReport report;

    ClassifierSuite(VisionSuite.Settings settings, PaddleOcrModels models, VisionData data, Path work,
                    BenchmarkReport report) {
        this.settings = settings;
        this.models = models;
        this.data = data;
        this.work = work;
        this.report = report;
    }

    /** Runs the classifier part and returns its rows; adds its targets to {@code targets}. */
    List<VisionResults.ClassifierRow> run(List<VisionResults.Target> targets) throws Exception {
        report.add("## Orientation classifier: " + models.classifier().getFileName());
        List<QuantizedVariants.Variant> variants = new QuantizedVariants(settings, report, targets)
                .make("Classifier", searchSpec(), work);

        report.add("Load average before scoring the classifier rows: " + MachineDescription.readLoadAverage() + ".");
        List<VisionResults.ClassifierRow> rows = new ArrayList<>();
        try (OcrSessions sessions = OcrSessions.open(variants)) {
            List<ClassifierQuality> clean = ClassifierQuality.measure(sessions.sessions(), data.clean(),
                    settings.threads());
            List<ClassifierQuality> hard = ClassifierQuality.measure(sessions.sessions(), data.hard(),
                    settings.threads());
            List<LatencyMeasurement.Latencies> latencies = measureLatency(sessions);
            for (int index = 0; index < variants.size(); index++) {
                QuantizedVariants.Variant variant = variants.get(index);
                rows.add(new VisionResults.ClassifierRow(variant.name(), variant.origin(), variant.modelBytes().length,
                        VisionSuite.sha256(variant.modelBytes()), VisionResults.ClassifierSet.of(clean.get(index)),
                        VisionResults.ClassifierSet.of(hard.get(index)), VisionResults.LatencyMs.of(latencies.get(index)),
                        variant.search()));
            }
        }
        report.add(table(rows));
        addTargets(rows, targets);
        return rows;
    }

    private LocalSearchSpec searchSpec() {
        Path calibration = OcrDataFiles.writeClassifierInput(work.resolve("classifier-calibration.npy"),
                data.calibration());
        Path evaluation = OcrDataFiles.writeClassifierInput(work.resolve("classifier-search.npy"),
                data.classifierSearch());
        Path labels = OcrDataFiles.writeOrientationLabels(work.resolve("classifier-search-labels.txt"),
                data.classifierSearch().size());
        SearchGoal goal = SearchGoal.absolute(METRIC, MetricDirection.HIGHER_IS_BETTER, VisionSuite.MAX_ACCURACY_DROP);
        return new LocalSearchSpec(models.classifier(), calibration, evaluation, labels, null, goal,
                SearchStrategies.AUTO, SearchBudget.trials(settings.maxTrials()), VisionSuite.SEED, settings.threads(),
                EvaluationSettings.of(1), null);
    }

    private List<LatencyMeasurement.Latencies> measureLatency(OcrSessions sessions) throws Exception {
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        try {
            for (OcrLine line : data.hard().subList(0, Math.min(settings.latencyLines(), data.hard().size()))) {
                feeds.add(OcrModelRuns.classifierFeed(sessions.sessions().get(0), line));
            }
            return LATENCY.measure(sessions.sessions(), feeds);
        } finally {
            feeds.forEach(OnnxValue::close);
        }
    }

    private static MarkdownTable table(List<VisionResults.ClassifierRow> rows) {
        MarkdownTable table = new MarkdownTable("Classifier", "Size MB", "Accuracy clean [95 % CI]",
                "Accuracy hard [95 % CI]", "Same orientation as fp32 (clean / hard)", "Mean abs. change of p(180)",
                "Latency ms, median (p10-p90)", "Search s", "Candidates", "Nodes kept higher");
        for (VisionResults.ClassifierRow row : rows) {
            table.row(row.name(), String.format("%.3f", row.sizeBytes() / 1e6), accuracy(row.clean()),
                    accuracy(row.hard()), String.format("%.4f / %.4f", row.clean().agreement(), row.hard().agreement()),
                    String.format("%.4f", (row.clean().meanAbsoluteChange() + row.hard().meanAbsoluteChange()) / 2),
                    VisionTables.latency(row.latency()), VisionTables.searchSeconds(row.search()),
                    VisionTables.candidates(row.search()), VisionTables.nodesKept(row.search()));
        }
        return table;
    }

    private static String accuracy(VisionResults.ClassifierSet set) {
        return String.format("%.4f [%.4f, %.4f]", set.accuracy(), set.accuracyLow(), set.accuracyHigh());
    }

    /** Accuracy over the clean and the hard lines together. */
    private static double combinedAccuracy(VisionResults.ClassifierRow row) {
        double correct = row.clean().accuracy() * row.clean().lines() + row.hard().accuracy() * row.hard().lines();
        return correct / (row.clean().lines() + row.hard().lines());
    }

    private static void addTargets(List<VisionResults.ClassifierRow> rows, List<VisionResults.Target> targets) {
        double fp32 = combinedAccuracy(rows.get(0));
        for (VisionResults.ClassifierRow row : rows) {
            if (row.search() == null) {
                continue;
            }
            double drop = fp32 - combinedAccuracy(row);
            targets.add(new VisionResults.Target("Classifier accuracy on clean and hard lines together, fp32 minus "
                            + row.name(), String.format("%+.2f points (%.4f vs %.4f)", 100 * drop, combinedAccuracy(row),
                    fp32), "at most 0.50 points", drop <= VisionSuite.MAX_ACCURACY_DROP + 1e-12));
        }
    }
}
