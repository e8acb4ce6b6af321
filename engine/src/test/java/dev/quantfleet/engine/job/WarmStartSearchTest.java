package dev.quantfleet.engine.job;

import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.report.CandidateEntry;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchDriver;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.engine.testing.SensitiveChainModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warm-started searches in real ONNX Runtime on the generated chain model in which only keeping
 * {@link SensitiveChainModel#SENSITIVE_NODE} in float meets the goal. The warm start is that
 * configuration, which no preset is, so the search can only have it from round 1 through the warm start.
 */
class WarmStartSearchTest {

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

    private static QuantConfig sensitiveNodeInFloat() {
        return Presets.byName("a8w8").toBuilder()
                .nodeOverrides(Map.of(SensitiveChainModel.SENSITIVE_NODE, NodeOverride.keepInFloat())).build();
    }

    private static LocalSearchSpec spec(String strategy, int maxTrials) {
        SearchGoal goal = SearchGoal.absolute("cosine", MetricDirection.HIGHER_IS_BETTER, 0.001);
        return new LocalSearchSpec(model, calibration, evaluation, null, null, goal, strategy,
                SearchBudget.trials(maxTrials), 5, 2, EvaluationSettings.of(1), null)
                .withWarmStart(List.of(sensitiveNodeInFloat()));
    }

    @Test
    void oneTrialEvaluatesTheWarmStart() throws Exception {
        LocalSearchResult result = LocalSearch.run(spec("auto", 1), progress -> { });

        String warmId = SearchIds.candidateId(sensitiveNodeInFloat());
        List<CandidateResult> evaluated = result.outcome().results().stream()
                .filter(candidate -> candidate.kind() == TaskKind.EVALUATE).toList();
        assertThat(evaluated).extracting(CandidateResult::candidateId).containsExactly(warmId);
        assertThat(evaluated.get(0).round()).isEqualTo(SearchDriver.WARM_START_ROUND);
        assertThat(result.outcome().trials()).isEqualTo(1);
        assertThat(result.acceptable()).isTrue();
        assertThat(result.winner().evaluation().metric("cosine")).isGreaterThan(0.999);
        assertThat(result.winner().evaluation().quantizedNodes())
                .containsExactly("/layer.0/MatMul", "/layer.1/MatMul", "/layer.3/MatMul");
    }

    @Test
    void warmStartedSearchIsDeterministic() throws Exception {
        LocalSearchResult first = LocalSearch.run(spec("presets", 8), progress -> { });
        LocalSearchResult second = LocalSearch.run(spec("presets", 8), progress -> { });

        String warmId = SearchIds.candidateId(sensitiveNodeInFloat());
        CandidateEntry warm = first.report().candidate(warmId).orElseThrow();
        assertThat(warm.round()).isEqualTo(SearchDriver.WARM_START_ROUND);
        assertThat(warm.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(first.report().candidates()).hasSizeGreaterThan(1);
        assertThat(first.outcome().winner().candidateId()).isEqualTo(warmId);
        assertThat(second.outcome().winner().candidateId()).isEqualTo(warmId);
        assertThat(second.request().requestId()).isEqualTo(first.request().requestId());
        assertThat(second.report().toJsonWithoutTiming()).isEqualTo(first.report().toJsonWithoutTiming());
    }
}
