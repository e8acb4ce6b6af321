package dev.quantfleet.engine.job;

import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.QuantizedCandidate;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.evaluation.FidelityMetrics;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.report.SearchReports;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.InProcessSearch;
import dev.quantfleet.engine.search.ModelFacts;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SearchInputs;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.SearchProgressListener;
import dev.quantfleet.engine.search.SearchRequest;
import dev.quantfleet.engine.search.SearchSpace;
import dev.quantfleet.engine.search.SensitivityCache;
import dev.quantfleet.engine.search.StopReason;
import dev.quantfleet.engine.search.TaskExecutor;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a whole search over files in this process: loads the model, hashes the model and the data,
 * runs {@link InProcessSearch} with a {@link LocalTaskExecutor}, quantizes the winner again to
 * get its model, and builds the report. The request id derives from the inputs, the goal, the
 * strategy, the budget and the seed, so the same search gets the same id and report.
 */
public final class LocalSearch {

    private LocalSearch() {
    }

    /**
     * @throws IOException if the model cannot be read
     * @throws dev.quantfleet.engine.data.InvalidDataException if the data cannot be read or does
     *     not fit the model
     * @throws IllegalArgumentException if the goal's metric is unknown
     * @throws BaselineFailedException if the float model cannot be evaluated, e.g. labels are
     *     missing or the deadline passed before the first round ended
     */
    public static LocalSearchResult run(LocalSearchSpec spec, SearchProgressListener listener) throws IOException {
        return run(spec, listener, UnaryOperator.identity());
    }

    /**
     * Runs the search as {@link #run(LocalSearchSpec, SearchProgressListener)} does, with every
     * task going through {@code taskDecorator}'s wrapper of the executor, e.g. to time each task.
     * The winner is rebuilt by the undecorated executor.
     */
    public static LocalSearchResult run(LocalSearchSpec spec, SearchProgressListener listener,
                                        UnaryOperator<TaskExecutor> taskDecorator) throws IOException {
        ModelProto model = ModelIo.loadWithDataFiles(spec.model(), ModelLimits.defaults()).model();
        List<TaskMetric> taskMetrics = taskMetricsFor(spec.goal().metric());
        try (EvaluationData evaluationData = openEvaluationData(spec, model)) {
            checkCalibrationData(spec, model);
            SearchRequest request = request(spec, model, evaluationData);
            LocalTaskExecutor executor = new LocalTaskExecutor(model,
                    () -> SampleSources.open(spec.calibrationData(), model, spec.textOptions()), evaluationData,
                    taskMetrics, spec.settings());
            SensitivityCache cache = spec.sensitivityCache() == null ? null : new SensitivityCache(spec.sensitivityCache());
            SearchOutcome outcome = new InProcessSearch(taskDecorator.apply(executor), spec.threads(), cache, listener,
                    System::nanoTime)
                    .run(request);
            if (outcome.stopReason() == StopReason.BASELINE_FAILED) {
                throw new BaselineFailedException("The float model could not be evaluated on " + spec.evaluationData()
                        + ", so no candidate can be compared with it: " + outcome.baseline().reason());
            }
            QuantizedCandidate winner = outcome.winner() == null ? null
                    : executor.rebuild(outcome.winner().config(), outcome.winner().evaluation());
            Provenance provenance = Provenance.current(ExecutionProvider.cpu(), spec.settings().threads());
            SearchReport report = SearchReports.from(request, outcome, provenance, spec.threads(), ModelFacts.opTypesByNode(model));
            return new LocalSearchResult(request, outcome, winner, report);
        }
    }

    /**
     * Opens the evaluation data and labels of {@code spec} as the search reads them, and checks
     * that the labels are of the kind that the goal's task metric scores, such as reference texts
     * for {@code cer}. The caller closes the data.
     *
     * @throws InvalidDataException if the data or labels cannot be read, do not fit the model,
     *     differ in count, or are of the wrong kind for the metric
     * @throws IllegalArgumentException if the goal's metric is unknown
     */
    public static EvaluationData openEvaluationData(LocalSearchSpec spec, ModelProto model) {
        List<TaskMetric> taskMetrics = taskMetricsFor(spec.goal().metric());
        EvaluationData evaluationData = EvaluationData.open(spec.evaluationData(), spec.evaluationLabels(), model,
                spec.textOptions());
        try {
            for (TaskMetric metric : taskMetrics) {
                metric.requireLabels(evaluationData.labels());
            }
        } catch (IllegalArgumentException e) {
            evaluationData.close();
            String source = spec.evaluationLabels() == null
                    ? "The evaluation data " + spec.evaluationData() + " come without a labels file"
                    : "The labels file " + spec.evaluationLabels() + " does not fit the goal's metric";
            throw new InvalidDataException(source + ": " + e.getMessage(), e);
        }
        return evaluationData;
    }

    /**
     * Opens the calibration data of {@code spec} for {@code model} and closes it again, so that data
     * that cannot be read or do not fit the model's inputs are rejected before any task runs.
     *
     * @throws InvalidDataException if the data cannot be read or do not fit the model
     */
    public static void checkCalibrationData(LocalSearchSpec spec, ModelProto model) {
        SampleSources.open(spec.calibrationData(), model, spec.textOptions()).close();
    }

    /** Fidelity metrics are always computed; a task metric only when the goal names one. */
    private static List<TaskMetric> taskMetricsFor(String metric) {
        if (FidelityMetrics.names().contains(metric)) {
            return List.of();
        }
        return List.of(TaskMetrics.byName(metric));
    }

    private static SearchRequest request(LocalSearchSpec spec, ModelProto model, EvaluationData evaluationData) {
        String modelSha256 = sha256Hex(ModelIo.toBytes(model));
        String calibrationHash = EvaluationData.contentHash(spec.calibrationData(), null, spec.textOptions());
        String dataSha256 = SearchIds.sha256Hex(calibrationHash + "/" + evaluationData.contentHash());
        SearchInputs inputs = new SearchInputs(spec.model().toString(), modelSha256, spec.calibrationData().toString(),
                spec.evaluationData().toString(), dataSha256);
        ModelFacts facts = ModelFacts.of(model, ModelFacts.maxReachableOpset(model), OrtSessions.CPU_EXECUTION_PROVIDER);
        List<String> identity = new ArrayList<>(List.of(modelSha256, dataSha256, spec.goal().toString(),
                spec.strategy(), spec.budget().toString(), Long.toString(spec.seed())));
        // Only a warm-started search adds its candidate ids, so the ids of other searches stay as they were.
        spec.warmStart().forEach(config -> identity.add(SearchIds.candidateId(config)));
        String requestId = SearchIds.sha256Hex(String.join("/", identity)).substring(0, 16);
        return new SearchRequest(requestId, inputs, facts, SearchSpace.defaults(), spec.goal(), spec.strategy(),
                spec.budget(), spec.seed(), null, spec.warmStart());
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }
}
