package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchStrategies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the in-process search on all-MiniLM-L6-v2, as {@code quantfleet quantize --in-process}
 * runs it with strategy {@code auto}, metric {@value #METRIC} and a maximum drop of
 * {@value #MAX_DROP_PERCENT} % relative:
 * <ol>
 *   <li>Search cost: the wall time of {@code LocalSearch.run} with objective size, against its
 *       parts run again one at a time ({@link SearchCostBreakdown}).</li>
 *   <li>The winner against fp32, a8w8 and the int8 reference ({@link WinnerComparison}), and the
 *       winner of a second search with objective latency unless the third argument is
 *       {@value #SIZE_ONLY}.</li>
 * </ol>
 * Search data, as the README's commands write them: the first 64 package synopses for
 * calibration, and query/document pairs (synopsis, extended description) of the packages with an
 * extended description, {@value MiniLmSearchData#PAIRS_SKIPPED} skipped. The quality table uses every such pair
 * of the package database, so it includes the search's own pairs.
 *
 * <p>Arguments: pairs the search evaluates on (default {@value #DEFAULT_PAIRS}), trial budget
 * (default {@value #DEFAULT_TRIALS}), {@value #SIZE_ONLY} to skip the latency search. The search
 * evaluates as many candidates at once as there are processors, each with
 * {@value #TASK_THREADS} ONNX Runtime thread, the defaults of {@code quantfleet quantize}.
 */
public final class SearchBenchmark {

    static final String METRIC = "recall@1";
    static final double MAX_DROP_PERCENT = 1;
    static final int DEFAULT_PAIRS = 300;
    static final int DEFAULT_TRIALS = 10;
    static final int TASK_THREADS = 1;
    static final long SEED = 0;
    static final String SIZE_ONLY = "size-only";
    /** Warm-up and timed runs per candidate when the objective is latency, as {@code quantfleet quantize} uses. */
    static final int LATENCY_WARM_UP_RUNS = 3;
    static final int LATENCY_RUNS = 20;

    private SearchBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int pairCount = arguments.length > 0 ? Integer.parseInt(arguments[0]) : DEFAULT_PAIRS;
        int trials = arguments.length > 1 ? Integer.parseInt(arguments[1]) : DEFAULT_TRIALS;
        boolean latencySearch = arguments.length <= 2 || !SIZE_ONLY.equals(arguments[2]);
        int parallelTasks = Runtime.getRuntime().availableProcessors();

        BenchmarkReport report = new BenchmarkReport("search.md", "In-process search on all-MiniLM-L6-v2",
                TASK_THREADS);
        MiniLmFiles files = MiniLmFiles.extract(BenchmarkFolders.work());
        List<String> pairLines = PackageTexts.pairLines();
        MiniLmSearchData data = MiniLmSearchData.write(pairLines, pairCount);
        Path calibration = data.calibration();
        Path searchPairs = data.pairs();
        Path allPairs = PackageTexts.write(BenchmarkFolders.work(), "all-pairs.tsv", pairLines);
        report.add(data.describe() + ". Quality data: all " + pairLines.size() + " pairs.");

        TimedSearch sizeSearch = TimedSearch.run(spec(files, calibration, searchPairs, Objective.SIZE, trials,
                parallelTasks));
        SearchCostTables.addOutcome(report, "Search with objective size", sizeSearch);
        report.add("Load average before the breakdown: " + MachineDescription.readLoadAverage() + ".");
        SearchCostTables.addCost(report, sizeSearch, SearchCostBreakdown.measure(sizeSearch));

        TimedSearch latencyRun = null;
        if (latencySearch) {
            report.add("Load average before the latency search: " + MachineDescription.readLoadAverage() + ".");
            latencyRun = TimedSearch.run(spec(files, calibration, searchPairs, Objective.LATENCY, trials, parallelTasks));
            SearchCostTables.addOutcome(report, "Search with objective latency", latencyRun);
        }

        report.add("## Winners against fp32, a8w8 and the int8 reference");
        report.add("Load average before the comparison: " + MachineDescription.readLoadAverage() + ".");
        ModelProto floatModel = files.loadFp32Model();
        WinnerComparison.report(report, files, floatModel, allPairs, pairLines.size(), parallelTasks,
                models(files, floatModel, sizeSearch, latencyRun, parallelTasks));
        report.write();
    }

    /** Returns the spec of the MiniLM search with {@code parallelTasks} candidates evaluated at once. */
    static LocalSearchSpec spec(MiniLmFiles files, Path calibration, Path pairs, Objective objective,
                                        int trials, int parallelTasks) {
        SearchGoal goal = new SearchGoal(METRIC, MetricDirection.HIGHER_IS_BETTER, MAX_DROP_PERCENT, true, objective);
        EvaluationSettings settings = EvaluationSettings.of(TASK_THREADS);
        if (objective == Objective.LATENCY) {
            settings = settings.withLatency(LATENCY_WARM_UP_RUNS, LATENCY_RUNS);
        }
        return new LocalSearchSpec(files.fp32Model(), calibration, pairs, null,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false), goal, SearchStrategies.AUTO,
                SearchBudget.trials(trials), SEED, parallelTasks, settings, null);
    }

    private static List<NamedModel> models(MiniLmFiles files, ModelProto floatModel, TimedSearch sizeSearch,
                                           TimedSearch latencySearch, int threads) throws Exception {
        QuantConfig a8w8 = Presets.byName("a8w8");
        List<String> calibrationTexts = PackageTexts.slice(PackageTexts.synopses(), 0,
                MiniLmCalibration.CALIBRATION_TEXTS);
        CalibrationStatistics statistics = MiniLmCalibration.calibrate(floatModel, files, calibrationTexts, threads,
                a8w8);
        byte[] a8w8Bytes = ModelIo.toBytes(QdqQuantizer.quantize(floatModel, a8w8,
                ActivationRanges.fromStatistics(statistics, a8w8)).model());
        List<NamedModel> models = new ArrayList<>(List.of(
                new NamedModel("fp32", MiniLmFiles.FP32_MODEL_RESOURCE, readAllBytes(files.fp32Model())),
                new NamedModel("int8-reference", MiniLmFiles.INT8_REFERENCE_RESOURCE
                        + ", ONNX Runtime's dynamic quantizer", readAllBytes(files.int8ReferenceModel())),
                new NamedModel("a8w8", "this engine, preset a8w8, 64 calibration synopses", a8w8Bytes),
                winner("winner, objective size", sizeSearch)));
        if (latencySearch != null) {
            models.add(winner("winner, objective latency", latencySearch));
        }
        return models;
    }

    private static NamedModel winner(String name, TimedSearch search) {
        return new NamedModel(name, search.winner().candidateId() + ": " + TimedSearch.describe(search.winner().config()),
                search.result().winner().modelBytes());
    }

    private static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
    }
}
