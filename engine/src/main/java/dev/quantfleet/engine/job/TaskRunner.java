package dev.quantfleet.engine.job;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.evaluation.CandidateEvaluator;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import dev.quantfleet.engine.evaluation.QuantizedCandidate;
import dev.quantfleet.engine.evaluation.ReferenceOutputs;
import dev.quantfleet.engine.evaluation.ReferenceOutputsFile;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.search.TaskKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one search task on local files, the way {@link LocalTaskExecutor} runs it in process, but
 * hands the results of round 0 on through files instead of memory:
 * <pre>
 *   BASELINE   model + evaluation data           -&gt; Evaluation, reference-outputs.npz
 *   CALIBRATE  model + calibration data          -&gt; Evaluation, calibration-statistics.json
 *   EVALUATE   model + evaluation data + both files of round 0 + config
 *                                                -&gt; Evaluation, quantized model.onnx
 *   SENSITIVITY  as EVALUATE, without the model file
 * </pre>
 * For the same files, task metrics and settings, the evaluations equal those of
 * {@link LocalTaskExecutor} and the quantized model is byte-identical: the reference outputs
 * and the statistics survive their files unchanged, and every step is deterministic.
 * The runner keeps no state between tasks, so one instance may run tasks on several threads.
 */
public final class TaskRunner {

    /** File name of the reference outputs that a BASELINE task writes. */
    public static final String REFERENCE_OUTPUTS_FILE = "reference-outputs.npz";

    /** File name of the statistics that a CALIBRATE task writes. */
    public static final String CALIBRATION_STATISTICS_FILE = "calibration-statistics.json";

    /** File name of the quantized model that an EVALUATE task writes. */
    public static final String QUANTIZED_MODEL_FILE = "model.onnx";

    private final List<TaskMetric> taskMetrics;
    private final EvaluationSettings settings;
    private final ModelLimits modelLimits;

    /**
     * @param taskMetrics task metrics computed for every model besides the fidelity metrics
     * @param settings    ONNX Runtime threads, optimization level and latency runs
     * @param modelLimits limits the float model is loaded with
     */
    public TaskRunner(List<TaskMetric> taskMetrics, EvaluationSettings settings, ModelLimits modelLimits) {
        this.taskMetrics = List.copyOf(taskMetrics);
        this.settings = settings;
        this.modelLimits = modelLimits;
    }

    /**
     * Runs one task and writes its files to {@code outputDirectory}, which must exist.
     *
     * @param config the configuration of an EVALUATE or SENSITIVITY task; ignored otherwise
     * @throws IOException if a file cannot be read or written
     * @throws InvalidDataException if the data cannot be read, does not fit the model, or the
     *     reference outputs do not fit the evaluation data
     * @throws IllegalArgumentException if a file that the task kind needs is missing from {@code files}
     */
    public TaskRun run(TaskKind kind, QuantConfig config, TaskFiles files, Path outputDirectory) throws IOException {
        ModelProto model = ModelIo.loadWithDataFiles(files.model(), modelLimits).model();
        return switch (kind) {
            case BASELINE -> baseline(model, files, outputDirectory.resolve(REFERENCE_OUTPUTS_FILE));
            case CALIBRATE -> calibrate(model, files, outputDirectory.resolve(CALIBRATION_STATISTICS_FILE));
            case EVALUATE -> evaluate(model, files, config, outputDirectory.resolve(QUANTIZED_MODEL_FILE));
            case SENSITIVITY -> evaluate(model, files, config, null);
        };
    }

    /** Evaluates the float model and, when that ends OK, writes its outputs to {@code referenceFile}. */
    public TaskRun baseline(ModelProto model, TaskFiles files, Path referenceFile) throws IOException {
        try (EvaluationData data = openEvaluationData(model, files)) {
            ModelEvaluator evaluator;
            try {
                evaluator = ModelEvaluator.forFloatModel(model, data, taskMetrics, settings);
            } catch (OrtException e) {
                return TaskRun.of(Evaluation.unsupported("ONNX Runtime cannot run the float model on the evaluation "
                        + "data: " + e.getMessage()));
            } catch (IllegalArgumentException | InvalidDataException e) {
                return TaskRun.of(Evaluation.failed(e.getMessage()));
            }
            Evaluation evaluation = evaluator.evaluateReference(ModelIo.toBytes(model));
            if (evaluation.status() != EvaluationStatus.OK) {
                return TaskRun.of(evaluation);
            }
            ReferenceOutputsFile.write(evaluator.reference(), referenceFile);
            return new TaskRun(evaluation, referenceFile, null, null);
        }
    }

    /** Collects activation statistics and, when that ends OK, writes them to {@code statisticsFile} as JSON. */
    public TaskRun calibrate(ModelProto model, TaskFiles files, Path statisticsFile) {
        CalibrationStatistics statistics;
        try (SampleSource samples = SampleSources.open(files.calibrationData(), model, files.calibrationText())) {
            statistics = CandidateEvaluator.calibrate(model, samples, settings.threads(),
                    settings.executionProvider());
        } catch (OrtException e) {
            return TaskRun.of(Evaluation.unsupported("ONNX Runtime cannot run the float model on the calibration "
                    + "data: " + e.getMessage()));
        }
        statistics.write(statisticsFile);
        return new TaskRun(Evaluation.ok(Map.of(), null, List.of()), null, statisticsFile, null);
    }

    /**
     * Quantizes the float model with {@code config} and evaluates it against the reference
     * outputs; when {@code modelFile} is not null and the evaluation ends OK, writes the
     * quantized model there.
     */
    public TaskRun evaluate(ModelProto model, TaskFiles files, QuantConfig config, Path modelFile) throws IOException {
        if (config == null) {
            throw new IllegalArgumentException("An EVALUATE or SENSITIVITY task needs a quantization config, but "
                    + "none was given");
        }
        CalibrationStatistics statistics = readStatistics(files, config);
        if (files.referenceOutputs() == null) {
            throw new IllegalArgumentException("No reference outputs: run the BASELINE task and pass its "
                    + REFERENCE_OUTPUTS_FILE + " before evaluating candidates");
        }
        try (EvaluationData data = openEvaluationData(model, files)) {
            ReferenceOutputs reference = ReferenceOutputsFile.read(files.referenceOutputs(), data.samples());
            ModelEvaluator evaluator = new ModelEvaluator(reference, data.labels(), taskMetrics, settings);
            QuantizedCandidate candidate = new CandidateEvaluator(evaluator).evaluate(model, statistics, config);
            if (modelFile == null || candidate.evaluation().status() != EvaluationStatus.OK) {
                return TaskRun.of(candidate.evaluation());
            }
            Files.write(modelFile, candidate.modelBytes());
            return new TaskRun(candidate.evaluation(), null, null, modelFile);
        }
    }

    private static CalibrationStatistics readStatistics(TaskFiles files, QuantConfig config) {
        if (files.calibrationStatistics() != null) {
            return CalibrationStatistics.read(files.calibrationStatistics());
        }
        if (config.format() == QuantFormat.QDQ) {
            throw new IllegalArgumentException("No calibration statistics: run the CALIBRATE task and pass its "
                    + CALIBRATION_STATISTICS_FILE + " before evaluating QDQ candidates");
        }
        return null;
    }

    private static EvaluationData openEvaluationData(ModelProto model, TaskFiles files) {
        return EvaluationData.open(files.evaluationData(), files.evaluationLabels(), model, files.evaluationText());
    }
}
