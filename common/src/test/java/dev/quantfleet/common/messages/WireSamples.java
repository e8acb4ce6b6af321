package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantType;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SensitivityMode;
import dev.quantfleet.engine.search.StopReason;
import dev.quantfleet.engine.search.TaskKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One filled-in instance of every message, used by the tests and as the examples of docs/wire-format.md. */
final class WireSamples {

    static final String REQUEST_ID = "req-2024-0001";

    private WireSamples() {
    }

    static ArtifactRef artifact(String name, int digit, long sizeBytes) {
        String sha256 = Integer.toHexString(digit).repeat(64);
        return new ArtifactRef("sha256/" + sha256.substring(0, 2) + "/" + sha256 + "/" + name, sha256, sizeBytes);
    }

    static ModelReference model() {
        return new ModelReference("minilm", "3", artifact("model.onnx", 1, 90_405_214L),
                List.of(artifact("model.onnx.data", 2, 1_048_576L)));
    }

    static DataReference calibrationData() {
        return new DataReference(artifact("calibration.jsonl", 3, 52_311L), "calibration.jsonl",
                artifact("tokenizer.json", 4, 711_396L), 128);
    }

    static DataReference evaluationData() {
        return new DataReference(artifact("evaluation.npz", 5, 2_097_152L), "evaluation.npz", null, null);
    }

    static QuantConfig config() {
        return QuantConfig.builder().weightType(QuantType.QInt8).perChannel(true).nodesToExclude(List.of("/pooler/*"))
                .build();
    }

    static QuantizationRequest request() {
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, REQUEST_ID, model(), calibrationData(),
                evaluationData(), artifact("labels.npy", 6, 4_096L),
                new RequestGoal("cosine", MetricDirection.HIGHER_IS_BETTER, 0.01, false, Objective.SIZE),
                "auto", new RequestBudget(40, 3_600_000L, false), 42L, "cpu", List.of(config()),
                "alice", "rest", 1_717_243_200_000L);
    }

    static TaskArtifacts taskArtifacts() {
        return new TaskArtifacts(model(), calibrationData(), evaluationData(), artifact("labels.npy", 6, 4_096L),
                artifact("calibration-statistics.json", 7, 18_220L), artifact("reference-outputs.npz", 8, 393_216L));
    }

    static Task evaluateTask() {
        QuantConfig config = config();
        String candidateId = SearchIds.candidateId(config);
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION, SearchIds.taskId(REQUEST_ID, 1, TaskKind.EVALUATE,
                candidateId), REQUEST_ID, 1, TaskKind.EVALUATE, candidateId, config, SearchIds.seed(42L, candidateId),
                "cpu", taskArtifacts(), 1_717_246_800_000L, 1, List.of(), null, null, new TaskSettings(2, false));
    }

    static Task sensitivityTask() {
        QuantConfig probe = config().toBuilder().nodesToExclude(List.of("regex:^(?!/encoder/layer.0/).*$")).build();
        String candidateId = SearchIds.candidateId(probe);
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION, SearchIds.taskId(REQUEST_ID, 2, TaskKind.SENSITIVITY,
                candidateId), REQUEST_ID, 2, TaskKind.SENSITIVITY, candidateId, probe, SearchIds.seed(42L, candidateId),
                "rocm", taskArtifacts(), null, 2, List.of("/encoder/layer.0/attention/MatMul"),
                SensitivityMode.ONLY_QUANTIZED, SearchIds.candidateId(config()), new TaskSettings(4, true));
    }

    static Task baselineTask() {
        return new Task(WireMessage.CURRENT_SCHEMA_VERSION,
                SearchIds.taskId(REQUEST_ID, 0, TaskKind.BASELINE, SearchIds.FLOAT_MODEL_ID), REQUEST_ID, 0,
                TaskKind.BASELINE, SearchIds.FLOAT_MODEL_ID, null, SearchIds.seed(42L, SearchIds.FLOAT_MODEL_ID), "cpu",
                new TaskArtifacts(model(), calibrationData(), evaluationData(), null, null, null), null, 1, null,
                null, null, new TaskSettings(1, false));
    }

    static Cost cost() {
        return new Cost(23_011_840L, 0.97, new Latency(4.25, 4.1, 4.6, 20, 3, 2, "CPUExecutionProvider"));
    }

    static Map<String, Double> metrics() {
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("cosine", 0.9934);
        metrics.put("mse", 1.7e-4);
        return metrics;
    }

    static TaskResult okResult() {
        Task task = evaluateTask();
        Evaluation evaluation = Evaluation.ok(metrics(), cost(), List.of("/encoder/layer.0/attention/MatMul"));
        return TaskResult.of(task, evaluation, new ProducedArtifacts(null, null, artifact("model-int8.onnx", 9, 23_011_840L)),
                new TaskTimings(1_717_243_201_000L, 1_717_243_201_250L, 1_717_243_209_750L), "worker-cpu-7f9c",
                new Provenance("0.1.0-SNAPSHOT", "1.29.0", "CPUExecutionProvider", 2, "amd64: avx avx2 fma", "cpu"));
    }

    static TaskResult failedResult() {
        Task task = sensitivityTask();
        return TaskResult.of(task, Evaluation.unsupported("Could not find an implementation for MatMulInteger(10)"
                + " with element type int16"), null, new TaskTimings(1_717_243_210_000L, 1_717_243_210_100L,
                1_717_243_210_900L), "worker-rocm-01", null);
    }

    static RoundOpened roundPlan() {
        return RoundOpened.of(REQUEST_ID, 1, List.of(evaluateTask()), 1_717_243_800_000L, 3);
    }

    static RoundCompleted round() {
        Map<String, RoundTaskStatus> statuses = new TreeMap<>();
        statuses.put(evaluateTask().taskId(), RoundTaskStatus.OK);
        QuantConfig other = config().toBuilder().weightType(QuantType.QInt4).build();
        statuses.put(SearchIds.taskId(REQUEST_ID, 1, TaskKind.EVALUATE, SearchIds.candidateId(other)),
                RoundTaskStatus.TIMED_OUT);
        return RoundCompleted.of(REQUEST_ID, 1, statuses, true);
    }

    static SearchOutcome completedOutcome() {
        QuantConfig config = config();
        String candidateId = SearchIds.candidateId(config);
        return new SearchOutcome(WireMessage.CURRENT_SCHEMA_VERSION, REQUEST_ID, OutcomeStatus.COMPLETED, List.of(),
                true, new OutcomeWinner(candidateId, config, new TreeMap<>(metrics()), cost()), List.of(candidateId),
                artifact("model-int8.onnx", 9, 23_011_840L), artifact("report.json", 10, 48_112L),
                StopReason.FIRST_ACCEPTABLE, 12, 412_500L);
    }

    /** A request that the coordinator made for version 4 of the model from a bucket notification. */
    static QuantizationRequest requantizationRequest() {
        QuantizationRequest earlier = request();
        ModelReference version4 = new ModelReference("minilm", "4", artifact("model.onnx", 9, 90_405_390L), List.of());
        RequestLineage lineage = new RequestLineage(REQUEST_ID, "3", SearchIds.candidateId(config()),
                "models/models/minilm/4/model.onnx#3f1e6a0c-9d2b-4c41-8f55-0b8e1d7a2c93", ModelEventSource.S3_EVENT,
                "models", "models/minilm/4/model.onnx", "3f1e6a0c-9d2b-4c41-8f55-0b8e1d7a2c93",
                "9b2cf535f27731c974343645a3985328");
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, "requant-minilm-4-5b0e3d8c71f2a946",
                version4, earlier.calibrationData(), earlier.evaluationData(), earlier.labels(), earlier.goal(),
                earlier.strategy(), earlier.budget(), earlier.seed(), earlier.pool(), List.of(config()),
                "quantfleet-coordinator", "model-event", 1_717_329_600_000L, lineage);
    }

    static SearchOutcome rejectedOutcome() {
        return SearchOutcome.rejected("req-2024-0002", List.of("Unknown search strategy 'annealing'; expected one of"
                + " [auto, presets, grid, random, tpe]"));
    }

    static ModelVersionPublished modelEvent() {
        return new ModelVersionPublished(WireMessage.CURRENT_SCHEMA_VERSION, model(), ModelEventSource.PRODUCER,
                "minilm/3/publish-1", 1_717_243_100_000L);
    }

    static DeadLetter deadLetter() {
        Task task = evaluateTask().nextAttempt().nextAttempt();
        return new DeadLetter(WireMessage.CURRENT_SCHEMA_VERSION, task, "OutOfMemoryError while quantizing", 3,
                "worker-cpu-7f9c", 1_717_243_300_000L);
    }

    /** Every sample, by a label that names the record and its case. */
    static Map<String, WireMessage> all() {
        Map<String, WireMessage> samples = new LinkedHashMap<>();
        samples.put("QuantizationRequest", request());
        samples.put("QuantizationRequest (re-quantization)", requantizationRequest());
        samples.put("Task", evaluateTask());
        samples.put("Task (SENSITIVITY)", sensitivityTask());
        samples.put("Task (BASELINE)", baselineTask());
        samples.put("TaskResult", okResult());
        samples.put("TaskResult (UNSUPPORTED)", failedResult());
        samples.put("RoundOpened", roundPlan());
        samples.put("RoundCompleted", round());
        samples.put("SearchOutcome", completedOutcome());
        samples.put("SearchOutcome (REJECTED)", rejectedOutcome());
        samples.put("ModelVersionPublished", modelEvent());
        samples.put("DeadLetter", deadLetter());
        return samples;
    }
}
