package dev.quantfleet.engine.job;

import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.report.HigherPrecision;
import dev.quantfleet.engine.report.HigherPrecisionNode;
import dev.quantfleet.engine.report.NodeSensitivity;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchProgress;
import dev.quantfleet.engine.testing.SensitiveChainModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole searches in real ONNX Runtime on a generated chain model in which one node breaks when
 * quantized ({@link SensitiveChainModel}).
 */
class LocalSearchTest {

    @TempDir
    static Path directory;

    private static Path model;
    private static Path calibration;
    private static Path evaluation;

    @BeforeAll
    static void writeInputs() throws Exception {
        model = directory.resolve("chain.onnx");
        ModelIo.save(SensitiveChainModel.build(7), model);
        calibration = SensitiveChainModel.writeInputs(directory.resolve("calibration.npy"), 32, 11);
        evaluation = SensitiveChainModel.writeInputs(directory.resolve("evaluation.npy"), 32, 13);
    }

    @Test
    void autoKeepsThePlantedNodeInFloat() throws Exception {
        LocalSearchResult result = LocalSearch.run(spec(2, "auto"), progress -> { });

        assertThat(result.acceptable()).isTrue();
        Map<String, NodeOverride> overrides = result.outcome().winner().config().nodeOverrides();
        assertThat(overrides).containsOnlyKeys(SensitiveChainModel.SENSITIVE_NODE);
        assertThat(overrides.get(SensitiveChainModel.SENSITIVE_NODE).keepFloat()).isTrue();
        assertThat(result.winner().evaluation().quantizedNodes())
                .containsExactly("/layer.0/MatMul", "/layer.1/MatMul", "/layer.3/MatMul");
        assertThat(result.report().winner().nodesInHigherPrecision()).extracting(HigherPrecisionNode::node,
                HigherPrecisionNode::precision).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(SensitiveChainModel.SENSITIVE_NODE, HigherPrecision.FLOAT));
        assertThat(result.winner().evaluation().metric("cosine")).isGreaterThan(0.999);
        NodeSensitivity mostSensitive = result.report().sensitivity().stream()
                .max(Comparator.comparingDouble(NodeSensitivity::drop)).orElseThrow();
        assertThat(mostSensitive.node()).isEqualTo(SensitiveChainModel.SENSITIVE_NODE);
        assertThat(mostSensitive.opType()).isEqualTo("MatMul");
    }

    @Test
    void sameSearchGivesSameModelAndReport() throws Exception {
        LocalSearchResult first = LocalSearch.run(spec(1, "auto"), progress -> { });
        LocalSearchResult second = LocalSearch.run(spec(2, "auto"), progress -> { });
        Path firstOut = directory.resolve("first");
        Path secondOut = directory.resolve("second");
        first.write(firstOut);
        second.write(secondOut);

        assertThat(Files.readAllBytes(secondOut.resolve(LocalSearchResult.MODEL_FILE)))
                .isEqualTo(Files.readAllBytes(firstOut.resolve(LocalSearchResult.MODEL_FILE)));
        assertThat(withoutThreads(second.report().toJsonWithoutTiming()))
                .isEqualTo(withoutThreads(first.report().toJsonWithoutTiming()));
        assertThat(secondOut.resolve(LocalSearchResult.REPORT_HTML_FILE)).isNotEmptyFile();
    }

    @Test
    void progressReachesTheListener() throws Exception {
        List<SearchProgress> events = new CopyOnWriteArrayList<>();

        LocalSearch.run(spec(2, "presets"), events::add);

        assertThat(events).isNotEmpty();
        assertThat(events).allSatisfy(event -> assertThat(event.tasksDone()).isBetween(1, event.tasksInRound()));
    }

    @Test
    void nothingAcceptableReportsTheBestCandidate() throws Exception {
        LocalSearchResult result = LocalSearch.run(spec(2, "presets"), progress -> { });

        assertThat(result.acceptable()).isFalse();
        assertThat(result.outcome().winner()).isNotNull();
        assertThat(result.report().acceptable()).isFalse();
        assertThat(result.report().winner().candidateId()).isEqualTo(result.outcome().winner().candidateId());
    }

    /** Replaces the thread count, the one report field that runs with 1 and 2 threads may differ in. */
    private static String withoutThreads(String json) {
        return json.replaceAll("\"threads\" : \\d+", "\"threads\" : 0");
    }

    private static LocalSearchSpec spec(int threads, String strategy) {
        SearchGoal goal = SearchGoal.absolute("cosine", MetricDirection.HIGHER_IS_BETTER, 0.001);
        return new LocalSearchSpec(model, calibration, evaluation, null, null, goal, strategy, SearchBudget.trials(16),
                5, threads, EvaluationSettings.of(1), null);
    }

}
