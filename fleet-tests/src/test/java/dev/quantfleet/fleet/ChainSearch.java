package dev.quantfleet.fleet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.job.LocalSearch;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.report.SearchSummary;
import dev.quantfleet.engine.runtime.OrtSessions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search every fleet test runs: the {@link ChainModel} with seeded calibration and evaluation
 * data, goal cosine with a drop of at most {@value #MAX_DROP}, strategy {@value #STRATEGY},
 * {@value #MAX_TRIALS} trials and seed {@value #SEED}. The same search run by {@link LocalSearch}
 * in this process, once per JVM, is the reference the fleet must match.
 */
final class ChainSearch {

    static final String MODEL_NAME = "chain";
    static final String MODEL_VERSION = "1";
    static final String METRIC = "cosine";
    static final double MAX_DROP = 0.001;
    static final String STRATEGY = "auto";
    static final int MAX_TRIALS = 12;
    static final long SEED = 5;
    private static final long MODEL_SEED = 7;
    private static final int SAMPLES = 16;

    private static SearchFiles local;
    private static LocalSearchResult reference;

    /** The search's files on disk. */
    record SearchFiles(Path model, Path calibration, Path evaluation) {
    }

    /** The search's files in one artifact store. */
    record Uploaded(ArtifactRef model, ArtifactRef calibration, ArtifactRef evaluation) {
    }

    private ChainSearch() {
    }

    /** Writes the model and data into {@code target/chain-search}, once per JVM, so that every test class shares them. */
    static synchronized SearchFiles files() {
        if (local == null) {
            try {
                Path folder = Files.createDirectories(Path.of("target", "chain-search"));
                Path model = folder.resolve("chain.onnx");
                ModelIo.save(ChainModel.build(MODEL_SEED), model);
                local = new SearchFiles(model,
                        ChainModel.writeInputs(folder.resolve("calibration.npy"), SAMPLES, ChainModel.WIDTH, 11),
                        ChainModel.writeInputs(folder.resolve("evaluation.npy"), SAMPLES, ChainModel.WIDTH, 13));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return local;
    }

    static Uploaded upload(ArtifactStore store, SearchFiles files) {
        return new Uploaded(store.putContent(files.model()), store.putContent(files.calibration()),
                store.putContent(files.evaluation()));
    }

    /** Returns the request of the search on {@code uploaded}, for {@code pool}. */
    static QuantizationRequest request(String requestId, Uploaded uploaded, String pool) {
        return request(requestId, uploaded.model(), uploaded.calibration(), uploaded.evaluation(), pool);
    }

    static QuantizationRequest request(String requestId, ArtifactRef model, ArtifactRef calibration,
                                       ArtifactRef evaluation, String pool) {
        return request(requestId, model, calibration, evaluation, pool, budget());
    }

    /** Returns the request of the search on {@code uploaded} with a wall-clock deadline. */
    static QuantizationRequest requestWithDeadline(String requestId, Uploaded uploaded, String pool, long deadlineMs) {
        return request(requestId, uploaded.model(), uploaded.calibration(), uploaded.evaluation(), pool,
                new RequestBudget(MAX_TRIALS, deadlineMs, false));
    }

    private static QuantizationRequest request(String requestId, ArtifactRef model, ArtifactRef calibration,
                                               ArtifactRef evaluation, String pool, RequestBudget budget) {
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId,
                new ModelReference(MODEL_NAME, MODEL_VERSION, model, List.of()),
                new DataReference(calibration, "calibration.npy", null, null),
                new DataReference(evaluation, "evaluation.npy", null, null), null,
                goal(), STRATEGY, budget, SEED, pool, List.of(), "fleet-tests", "kafka", null);
    }

    /** Returns a request whose goal is classification accuracy against {@code labels}. */
    static QuantizationRequest accuracyRequest(String requestId, Uploaded uploaded, ArtifactRef labels, String pool) {
        return request(requestId, uploaded.model(), new DataReference(uploaded.calibration(), "calibration.npy", null,
                null), new DataReference(uploaded.evaluation(), "evaluation.npy", null, null), labels, "accuracy", pool);
    }

    /** Returns a request of this search's strategy, budget and seed on any model, data, labels and metric. */
    static QuantizationRequest request(String requestId, ArtifactRef model, DataReference calibration,
                                      DataReference evaluation, ArtifactRef labels, String metric, String pool) {
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId,
                new ModelReference(MODEL_NAME, MODEL_VERSION, model, List.of()), calibration, evaluation, labels,
                new RequestGoal(metric, null, 0.01, false, null), STRATEGY, budget(), SEED, pool, List.of(),
                "fleet-tests", "kafka", null);
    }

    private static RequestGoal goal() {
        return new RequestGoal(METRIC, null, MAX_DROP, false, null);
    }

    private static RequestBudget budget() {
        return new RequestBudget(MAX_TRIALS, null, false);
    }

    /** Returns the result of {@link LocalSearch} on {@code files} with this search's settings, run once per JVM. */
    static synchronized LocalSearchResult reference(SearchFiles files) throws Exception {
        if (reference == null) {
            reference = LocalSearch.run(new LocalSearchSpec(files.model(), files.calibration(), files.evaluation(),
                    null, null, goal().toSearchGoal(), STRATEGY, budget().toSearchBudget(), SEED, 1,
                    EvaluationSettings.of(1), null), progress -> { });
        }
        return reference;
    }

    /**
     * Asserts that {@code outcome} completed with {@link #reference}'s winner, trials, stop reason
     * and Pareto front, that the promoted model is byte-identical to the reference's winner and runs
     * in ONNX Runtime, and that report.json parses and equals the reference's report but for the
     * fields {@link #comparableJson} leaves out. Returns the report.
     */
    static SearchReport assertMatchesReference(SearchOutcome outcome, ArtifactStore store, SearchFiles files)
            throws Exception {
        LocalSearchResult local = reference(files);
        assertThat(outcome.status()).as("status of %s: %s", outcome.requestId(), outcome.rejectionReasons())
                .isEqualTo(OutcomeStatus.COMPLETED);
        assertThat(outcome.winner()).isNotNull();
        assertThat(outcome.winner().candidateId()).isEqualTo(local.outcome().winner().candidateId());
        assertThat(outcome.winner().config()).isEqualTo(local.outcome().winner().config());
        assertThat(outcome.acceptable()).isEqualTo(local.acceptable());
        assertThat(outcome.trials()).isEqualTo(local.outcome().trials());
        assertThat(outcome.stopReason()).isEqualTo(local.outcome().stopReason());
        assertThat(outcome.paretoFront()).isEqualTo(local.outcome().paretoFront());

        String folder = InJvmFleet.PREFIX + "/quantized/" + MODEL_NAME + "/" + MODEL_VERSION + "/"
                + outcome.requestId() + "/";
        assertThat(outcome.quantizedModel().key()).isEqualTo(folder + "model.onnx");
        byte[] promoted = store.readBytes(outcome.quantizedModel());
        assertThat(promoted).isEqualTo(local.winner().modelBytes());
        assertRuns(promoted);

        assertThat(outcome.report().key()).isEqualTo(folder + "report.json");
        SearchReport report = SearchReport.fromJson(new String(store.readBytes(outcome.report()),
                StandardCharsets.UTF_8));
        assertThat(report.winner().candidateId()).isEqualTo(local.report().winner().candidateId());
        assertThat(comparableJson(report)).as("report.json without timing")
                .isEqualTo(comparableJson(local.report()));
        assertThat(store.find(folder + "report.html")).isPresent();
        return report;
    }

    /**
     * Returns the report's JSON without its timing fields and with {@code search.threads} set to 1.
     * The fleet records in that field how many workers returned OK results, so it is the one other
     * field that depends on the fleet's size.
     */
    static String comparableJson(SearchReport report) {
        SearchSummary search = report.search();
        return new SearchReport(report.schemaVersion(), report.goal(), report.acceptable(), report.winner(),
                report.baseline(), report.candidates(), report.sensitivity(), report.paretoFront(),
                new SearchSummary(search.strategy(), search.seed(), search.rounds(), search.trials(),
                        search.stopReason(), search.wallTimeMs(), 1), report.provenance()).toJsonWithoutTiming();
    }

    /** Runs {@code model} on one seeded sample in ONNX Runtime and checks the output's shape and values. */
    static void assertRuns(byte[] model) throws Exception {
        float[][] input = new float[1][ChainModel.WIDTH];
        Random random = new Random(3);
        for (int i = 0; i < ChainModel.WIDTH; i++) {
            input[0][i] = (float) random.nextGaussian();
        }
        try (OrtSession session = OrtSessions.create(model, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT);
             OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), input);
             OrtSession.Result result = session.run(Map.of("x", tensor))) {
            float[][] output = (float[][]) result.get(0).getValue();
            assertThat(output).hasDimensions(1, ChainModel.WIDTH);
            for (float value : output[0]) {
                assertThat(value).isFinite();
            }
        }
    }
}
