package dev.quantfleet.coordinator.mapping;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelEventSource;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.ProducedArtifacts;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.RequestLineage;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.TaskTimings;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.coordinator.testing.ChainModel;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.report.Lineage;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchDriver;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SearchRequest;
import dev.quantfleet.engine.search.SearchTask;
import dev.quantfleet.engine.search.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingTest {

    private static final ArtifactRef MODEL = ref("model", '1');
    private static final ArtifactRef CALIBRATION = ref("calibration", '2');
    private static final ArtifactRef EVALUATION = ref("evaluation", '3');
    private static final ArtifactRef STATISTICS = ref("statistics", '4');
    private static final ArtifactRef REFERENCE = ref("reference", '5');

    private final QuantizationRequest request = new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, "req-1",
            new ModelReference("chain", "3", MODEL, List.of()), new DataReference(CALIBRATION, "c.npy", null, null),
            new DataReference(EVALUATION, "e.npy", null, null), null, new RequestGoal("cosine", null, 0.01, false, null),
            "tpe", new RequestBudget(12, 60_000L, true), 42, "gpu-a", List.of(), null, null, null);

    @Test
    void searchRequestCarriesGoalBudgetSeedAndHashes() {
        SearchRequest search = RequestMapping.toSearchRequest(request, ChainModel.build(1),
                OrtSessions.CPU_EXECUTION_PROVIDER);

        assertThat(search.requestId()).isEqualTo("req-1");
        assertThat(search.strategy()).isEqualTo("tpe");
        assertThat(search.seed()).isEqualTo(42);
        assertThat(search.goal().metric()).isEqualTo("cosine");
        assertThat(search.goal().direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(search.budget().maxTrials()).isEqualTo(12);
        assertThat(search.budget().deadline().toMillis()).isEqualTo(60_000);
        assertThat(search.budget().stopAtFirstAcceptable()).isTrue();
        assertThat(search.inputs().modelSha256()).isEqualTo(MODEL.sha256());
        assertThat(search.inputs().dataSha256())
                .isEqualTo(SearchIds.sha256Hex(CALIBRATION.sha256() + "/" + EVALUATION.sha256() + "/"));
        assertThat(search.facts().opset()).isEqualTo(17);
        assertThat(search.facts().maxReachableOpset()).isEqualTo(21);
        assertThat(search.facts().nodeNames()).contains("/layer.2/MatMul");
    }

    @Test
    void warmStartReachesSearchRequest() {
        QuantConfig percentile = Presets.byName("a8w8-percentile");
        QuantizationRequest warmStarted = new QuantizationRequest(request.schemaVersion(), request.requestId(),
                request.model(), request.calibrationData(), request.evaluationData(), request.labels(),
                request.goal(), request.strategy(), request.budget(), request.seed(), request.pool(),
                List.of(percentile, Presets.byName("a8w8")), null, null, null);

        SearchRequest search = RequestMapping.toSearchRequest(warmStarted, ChainModel.build(1),
                OrtSessions.CPU_EXECUTION_PROVIDER);

        assertThat(search.warmStart()).containsExactly(percentile, Presets.byName("a8w8"));
        assertThat(RequestMapping.toSearchRequest(request, ChainModel.build(1), OrtSessions.CPU_EXECUTION_PROVIDER)
                .warmStart()).isEmpty();
    }

    @Test
    void lineageBecomesReportLineage() {
        RequestLineage lineage = new RequestLineage("req-0", "2", "00ff00ff00ff00ff", "bucket/models/chain/3/m.onnx#v7",
                ModelEventSource.S3_EVENT, "bucket", "models/chain/3/m.onnx", "v7", null);

        Lineage report = LineageMapping.toReport(lineage);

        assertThat(report).isEqualTo(new Lineage("req-0", "2", "00ff00ff00ff00ff", "bucket/models/chain/3/m.onnx#v7",
                "S3_EVENT", "bucket", "models/chain/3/m.onnx", "v7", null));
        assertThat(LineageMapping.toReport(null)).isNull();
    }

    @Test
    void roundZeroTaskHasNoEarlierArtifacts() {
        SearchRequest search = RequestMapping.toSearchRequest(request, ChainModel.build(1),
                OrtSessions.CPU_EXECUTION_PROVIDER);
        SearchTask baseline = new SearchDriver(null).firstRound(search).get(0);

        Task task = TaskMapping.toTask(baseline, request, new RoundArtifacts(STATISTICS, REFERENCE), 99L,
                new TaskSettings(2, false));

        assertThat(task.taskId()).isEqualTo(baseline.taskId());
        assertThat(task.kind()).isEqualTo(TaskKind.BASELINE);
        assertThat(task.pool()).isEqualTo("gpu-a");
        assertThat(task.topic()).isEqualTo("quantfleet.tasks.gpu-a");
        assertThat(task.attempt()).isEqualTo(1);
        assertThat(task.deadlineMs()).isEqualTo(99L);
        assertThat(task.settings().threads()).isEqualTo(2);
        assertThat(task.artifacts().model().onnx()).isEqualTo(MODEL);
        assertThat(task.artifacts().calibrationStatistics()).isNull();
        assertThat(task.artifacts().referenceOutputs()).isNull();
    }

    @Test
    void laterRoundCarriesRoundZeroArtifacts() {
        QuantConfig config = Presets.all().values().iterator().next();
        String candidateId = SearchIds.candidateId(config);
        SearchTask evaluate = new SearchTask(SearchIds.taskId("req-1", 1, TaskKind.EVALUATE, candidateId), "req-1", 1,
                TaskKind.EVALUATE, candidateId, config, 7, RequestMapping.inputsOf(request), List.of(), null, null);

        Task task = TaskMapping.toTask(evaluate, request, new RoundArtifacts(STATISTICS, REFERENCE), null,
                new TaskSettings(1, false));

        assertThat(task.config()).isEqualTo(config);
        assertThat(task.seed()).isEqualTo(7);
        assertThat(task.artifacts().calibrationStatistics()).isEqualTo(STATISTICS);
        assertThat(task.artifacts().referenceOutputs()).isEqualTo(REFERENCE);
        // A fidelity goal needs no task metric.
        assertThat(task.settings().taskMetrics()).isEmpty();
    }

    @Test
    void taskMetricGoalIsSentToWorkers() {
        QuantizationRequest recallRequest = new QuantizationRequest(request.schemaVersion(), request.requestId(),
                request.model(), request.calibrationData(), request.evaluationData(), request.labels(),
                new RequestGoal("recall@5", null, 1.0, true, null), request.strategy(), request.budget(),
                request.seed(), request.pool(), request.warmStart(), request.submittedBy(), request.source(),
                request.createdAtMs());

        assertThat(TaskMapping.taskMetricsOf(recallRequest)).containsExactly("recall@5");
        assertThat(TaskMapping.taskMetricsOf(request)).isEmpty();
    }

    @Test
    void resultBecomesCandidateResultOfItsTask() {
        QuantConfig config = Presets.all().values().iterator().next();
        String candidateId = SearchIds.candidateId(config);
        SearchTask evaluate = new SearchTask(SearchIds.taskId("req-1", 1, TaskKind.EVALUATE, candidateId), "req-1", 1,
                TaskKind.EVALUATE, candidateId, config, 7, RequestMapping.inputsOf(request), List.of(), null, null);
        Task task = TaskMapping.toTask(evaluate, request, RoundArtifacts.none(), null, new TaskSettings(1, false));
        Evaluation evaluation = Evaluation.ok(Map.of("cosine", 0.998), new Cost(1000, 0.9, null), List.of("n1"));
        TaskResult result = TaskResult.of(task, evaluation, new ProducedArtifacts(null, null, MODEL),
                new TaskTimings(1, 2, 3), "w1", null);

        CandidateResult converted = ResultMapping.toCandidateResult(evaluate, result);

        assertThat(converted.taskId()).isEqualTo(evaluate.taskId());
        assertThat(converted.config()).isEqualTo(config);
        assertThat(converted.evaluation().metric("cosine")).isEqualTo(0.998);
        assertThat(converted.cached()).isFalse();
        assertThat(ResultMapping.timedOut(evaluate).evaluation().status()).isEqualTo(EvaluationStatus.FAILED);
        SearchTask other = new SearchTask("req-1/r0001/EVALUATE/other", "req-1", 1, TaskKind.EVALUATE, "other",
                config, 7, null, List.of(), null, null);
        assertThatThrownBy(() -> ResultMapping.toCandidateResult(other, result))
                .hasMessageContaining("does not belong to task");
    }

    private static ArtifactRef ref(String name, char digit) {
        String sha = String.valueOf(digit).repeat(64);
        return new ArtifactRef("quantfleet/sha256/" + sha, sha, 100);
    }
}
