package dev.quantfleet.engine.job;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchTask;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.engine.testing.SensitiveChainModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file-based {@link TaskRunner} gives the same evaluations and the same quantized model bytes
 * as the in-process {@link LocalTaskExecutor}, on a generated chain model in real ONNX Runtime.
 */
class TaskRunnerTest {

    private static final int EVALUATION_SAMPLES = 12;

    @TempDir
    static Path directory;

    private static ModelProto model;
    private static TaskFiles inputs;
    private static List<TaskMetric> metrics;
    private static final EvaluationSettings SETTINGS = EvaluationSettings.of(1);

    @BeforeAll
    static void writeInputs() throws Exception {
        model = SensitiveChainModel.build(3);
        Path modelFile = directory.resolve("chain.onnx");
        ModelIo.save(model, modelFile);
        Path calibration = SensitiveChainModel.writeInputs(directory.resolve("calibration.npy"), 16, 21);
        Path evaluation = SensitiveChainModel.writeInputs(directory.resolve("evaluation.npy"), EVALUATION_SAMPLES, 22);
        long[] labels = new Random(23).longs(EVALUATION_SAMPLES, 0, SensitiveChainModel.WIDTH).toArray();
        Path labelsFile = directory.resolve("labels.npy");
        NpyWriter.writeNpy(labelsFile, NpyWriter.Array.longs(new long[] {EVALUATION_SAMPLES}, labels));
        inputs = new TaskFiles(modelFile, calibration, null, evaluation, labelsFile, null, null, null);
        metrics = List.of(TaskMetrics.byName("accuracy"));
    }

    @Test
    void sameEvaluationsAndModelBytesAsLocalExecutor() throws Exception {
        TaskRunner runner = new TaskRunner(metrics, SETTINGS, ModelLimits.defaults());
        QuantConfig a8w8 = Presets.byName("a8w8");
        QuantConfig probe = a8w8.toBuilder()
                .nodeOverrides(Map.of(SensitiveChainModel.SENSITIVE_NODE, NodeOverride.keepInFloat())).build();
        QuantConfig dynamic = Presets.byName("dynamic-int8");

        TaskRun baseline = runner.run(TaskKind.BASELINE, null, inputs, folder("baseline"));
        TaskRun calibrate = runner.run(TaskKind.CALIBRATE, null, inputs, folder("calibrate"));
        TaskFiles later = new TaskFiles(inputs.model(), inputs.calibrationData(), null, inputs.evaluationData(),
                inputs.evaluationLabels(), null, calibrate.calibrationStatistics(), baseline.referenceOutputs());
        TaskRun evaluate = runner.run(TaskKind.EVALUATE, a8w8, later, folder("evaluate"));
        TaskRun sensitivity = runner.run(TaskKind.SENSITIVITY, probe, later, folder("sensitivity"));
        TaskRun evaluateDynamic = runner.run(TaskKind.EVALUATE, dynamic, later, folder("dynamic"));

        try (EvaluationData data = EvaluationData.open(inputs.evaluationData(), inputs.evaluationLabels(), model, null)) {
            LocalTaskExecutor local = new LocalTaskExecutor(model,
                    () -> SampleSources.open(inputs.calibrationData(), model, null), data, metrics, SETTINGS);
            assertThat(baseline.evaluation()).isEqualTo(local.execute(task(TaskKind.BASELINE, null)));
            assertThat(calibrate.evaluation()).isEqualTo(local.execute(task(TaskKind.CALIBRATE, null)));
            Evaluation localEvaluate = local.execute(task(TaskKind.EVALUATE, a8w8));
            assertThat(evaluate.evaluation()).isEqualTo(localEvaluate);
            assertThat(sensitivity.evaluation()).isEqualTo(local.execute(task(TaskKind.SENSITIVITY, probe)));
            assertThat(evaluateDynamic.evaluation()).isEqualTo(local.execute(task(TaskKind.EVALUATE, dynamic)));
            assertThat(Files.readAllBytes(evaluate.quantizedModel()))
                    .isEqualTo(local.rebuild(a8w8, localEvaluate).modelBytes());
        }
        assertThat(baseline.evaluation().status()).isEqualTo(EvaluationStatus.OK);
        assertThat(baseline.evaluation().metrics()).containsKeys("cosine", "accuracy", "baseline.accuracy");
        assertThat(evaluate.evaluation().status()).isEqualTo(EvaluationStatus.OK);
        assertThat(evaluate.evaluation().quantizedNodes()).contains(SensitiveChainModel.SENSITIVE_NODE);
        assertThat(sensitivity.evaluation().quantizedNodes()).doesNotContain(SensitiveChainModel.SENSITIVE_NODE);
        assertThat(sensitivity.evaluation().metric("cosine")).isGreaterThan(evaluate.evaluation().metric("cosine"));
        assertThat(sensitivity.quantizedModel()).isNull();
    }

    @Test
    void filesGoOnlyWithTheirTaskKind() throws Exception {
        TaskRunner runner = new TaskRunner(List.of(), SETTINGS, ModelLimits.defaults());

        TaskRun baseline = runner.run(TaskKind.BASELINE, null, inputs, folder("kinds-baseline"));
        TaskRun calibrate = runner.run(TaskKind.CALIBRATE, null, inputs, folder("kinds-calibrate"));

        assertThat(baseline.referenceOutputs()).isRegularFile();
        assertThat(baseline.calibrationStatistics()).isNull();
        assertThat(baseline.quantizedModel()).isNull();
        assertThat(calibrate.calibrationStatistics()).isRegularFile();
        assertThat(calibrate.referenceOutputs()).isNull();
        assertThat(calibrate.evaluation().status()).isEqualTo(EvaluationStatus.OK);
    }

    @Test
    void qdqCandidateWithoutStatisticsIsRejected() throws Exception {
        TaskRunner runner = new TaskRunner(List.of(), SETTINGS, ModelLimits.defaults());
        TaskRun baseline = runner.run(TaskKind.BASELINE, null, inputs, folder("no-statistics"));
        TaskFiles withoutStatistics = new TaskFiles(inputs.model(), inputs.calibrationData(), null,
                inputs.evaluationData(), null, null, null, baseline.referenceOutputs());

        assertThatThrownBy(() -> runner.run(TaskKind.EVALUATE, Presets.byName("a8w8"), withoutStatistics,
                folder("no-statistics-evaluate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No calibration statistics");
    }

    private static SearchTask task(TaskKind kind, QuantConfig config) {
        return new SearchTask("request/r0000/" + kind + "/float", "request", 0, kind, "float", config, 1, null,
                List.of(), null, null);
    }

    private static Path folder(String name) throws Exception {
        return Files.createDirectories(directory.resolve(name));
    }
}
