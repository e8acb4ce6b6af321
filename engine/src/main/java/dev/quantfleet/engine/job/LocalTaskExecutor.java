package dev.quantfleet.engine.job;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.evaluation.CandidateEvaluator;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import dev.quantfleet.engine.evaluation.QuantizedCandidate;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.search.InProcessSearch;
import dev.quantfleet.engine.search.SearchTask;
import dev.quantfleet.engine.search.TaskExecutor;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs search tasks in this process with the engine: the BASELINE task runs the float model over
 * the evaluation data once and keeps its outputs as the reference, the CALIBRATE task collects
 * activation statistics once, and every EVALUATE or SENSITIVITY task quantizes the float model
 * with its configuration and scores it against the reference.
 *
 * <p>{@link InProcessSearch} runs round 0 (BASELINE and CALIBRATE) to completion before any
 * other task, and its round barrier publishes the reference and the statistics to the threads
 * of later rounds. Quantized models are not kept: {@link #rebuild} quantizes the winner again,
 * which gives the same bytes because quantization is deterministic.
 */
public final class LocalTaskExecutor implements TaskExecutor {

    private final ModelProto floatModel;
    private final Supplier<SampleSource> calibrationSamples;
    private final EvaluationData evaluationData;
    private final List<TaskMetric> taskMetrics;
    private final EvaluationSettings settings;
    private volatile CandidateEvaluator candidates;
    private volatile CalibrationStatistics statistics;

    /**
     * @param floatModel         the model to quantize
     * @param calibrationSamples opens the calibration samples; called once, by the CALIBRATE task
     * @param evaluationData     evaluation samples and labels, read by the BASELINE task
     * @param taskMetrics        task metrics computed for every model besides the fidelity metrics
     * @param settings           ONNX Runtime threads per task, optimization level and latency runs
     */
    public LocalTaskExecutor(ModelProto floatModel, Supplier<SampleSource> calibrationSamples,
                             EvaluationData evaluationData, List<TaskMetric> taskMetrics, EvaluationSettings settings) {
        this.floatModel = floatModel;
        this.calibrationSamples = calibrationSamples;
        this.evaluationData = evaluationData;
        this.taskMetrics = List.copyOf(taskMetrics);
        this.settings = settings;
    }

    @Override
    public Evaluation execute(SearchTask task) {
        return switch (task.kind()) {
            case BASELINE -> baseline();
            case CALIBRATE -> calibrate();
            case EVALUATE, SENSITIVITY -> quantize(task.config()).evaluation();
        };
    }

    /**
     * Quantizes the float model with {@code config} and evaluates it.
     *
     * @throws IllegalStateException if the BASELINE task has not run, or CALIBRATE has not run
     *                               for a QDQ configuration
     */
    public QuantizedCandidate quantize(QuantConfig config) {
        if (candidates == null) {
            throw new IllegalStateException("No reference outputs: run the BASELINE task before evaluating candidates");
        }
        if (config.format() == QuantFormat.QDQ && statistics == null) {
            throw new IllegalStateException("No calibration statistics: run the CALIBRATE task before evaluating "
                    + "QDQ candidates");
        }
        return candidates.evaluate(floatModel, statistics, config);
    }

    /**
     * Quantizes the float model with a configuration that was evaluated before, without
     * evaluating it again.
     */
    public QuantizedCandidate rebuild(QuantConfig config, Evaluation evaluation) {
        if (config.format() == QuantFormat.QDQ && statistics == null) {
            throw new IllegalStateException("No calibration statistics: run the CALIBRATE task before quantizing "
                    + "QDQ candidates");
        }
        return CandidateEvaluator.quantizeOnly(floatModel, statistics, config, evaluation);
    }

    private Evaluation baseline() {
        try {
            ModelEvaluator evaluator = ModelEvaluator.forFloatModel(floatModel, evaluationData, taskMetrics, settings);
            candidates = new CandidateEvaluator(evaluator);
            return evaluator.evaluateReference(ModelIo.toBytes(floatModel));
        } catch (OrtException e) {
            return Evaluation.unsupported("ONNX Runtime cannot run the float model on the evaluation data: "
                    + e.getMessage());
        } catch (IllegalArgumentException | InvalidDataException e) {
            // A metric that does not fit the labels or outputs: the user's input, so no stack trace.
            return Evaluation.failed(e.getMessage());
        }
    }

    private Evaluation calibrate() {
        try (SampleSource samples = calibrationSamples.get()) {
            statistics = CandidateEvaluator.calibrate(floatModel, samples, settings.threads());
            return Evaluation.ok(Map.of(), null, List.of());
        } catch (OrtException e) {
            return Evaluation.unsupported("ONNX Runtime cannot run the float model on the calibration data: "
                    + e.getMessage());
        }
    }
}
