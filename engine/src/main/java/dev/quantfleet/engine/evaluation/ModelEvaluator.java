package dev.quantfleet.engine.evaluation;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates models, float or quantized, against the float model's {@link ReferenceOutputs}.
 *
 * <p>An {@link Evaluation} of status OK holds:
 * <ul>
 *   <li>every applicable {@link FidelityMetrics} value against the reference;</li>
 *   <li>the value of every requested {@link TaskMetric}, under its name;</li>
 *   <li>the float model's own value of each task metric, under {@value #BASELINE_PREFIX} and
 *       the name, e.g. {@code baseline.recall@1}, computed once from the reference outputs;</li>
 *   <li>the {@link Cost}: the model's byte size, the {@link IntegerMacShare} estimate on the first
 *       sample, and the latency on the first sample when the settings ask for it.</li>
 * </ul>
 * If ONNX Runtime rejects the model or fails to run it, the result is UNSUPPORTED with the
 * runtime's message; any other failure gives FAILED with the reason. {@link #evaluate} never throws.
 */
public final class ModelEvaluator {

    /** Prefix of the metric names that hold the float model's task metric values. */
    public static final String BASELINE_PREFIX = "baseline.";

    private static final Logger LOG = LoggerFactory.getLogger(ModelEvaluator.class);

    private final ReferenceOutputs reference;
    private final Labels labels;
    private final List<TaskMetric> taskMetrics;
    private final EvaluationSettings settings;
    private final SortedMap<String, Double> baselineTaskMetrics;

    /**
     * Prepares evaluation and scores the float model's own task metrics.
     *
     * @throws IllegalArgumentException if a task metric does not fit the labels or outputs,
     *                                  e.g. the label count differs from the sample count
     */
    public ModelEvaluator(ReferenceOutputs reference, Labels labels, List<TaskMetric> taskMetrics,
                          EvaluationSettings settings) {
        this.reference = reference;
        this.labels = labels;
        this.taskMetrics = List.copyOf(taskMetrics);
        this.settings = settings;
        this.baselineTaskMetrics = Collections.unmodifiableSortedMap(scoreTasks(reference.samples()));
    }

    /**
     * Runs the float model over the samples of {@code data} and prepares evaluation against it.
     *
     * @throws OrtException if ONNX Runtime rejects the float model or fails on a sample
     */
    public static ModelEvaluator forFloatModel(ModelProto floatModel, EvaluationData data,
                                               List<TaskMetric> taskMetrics, EvaluationSettings settings)
            throws OrtException {
        ReferenceOutputs reference = ReferenceOutputs.compute(ModelIo.toBytes(floatModel), data.samples(), settings);
        return new ModelEvaluator(reference, data.labels(), taskMetrics, settings);
    }

    public ReferenceOutputs reference() {
        return reference;
    }

    public EvaluationSettings settings() {
        return settings;
    }

    /** Returns the float model's task metric values by metric name, without the baseline prefix. */
    public SortedMap<String, Double> baselineTaskMetrics() {
        return baselineTaskMetrics;
    }

    /**
     * Evaluates one serialized model.
     *
     * @param modelBytes     a serialized ModelProto with inline tensor data
     * @param quantizedNodes names of the nodes the quantizer rewrote, recorded in the result
     */
    public Evaluation evaluate(byte[] modelBytes, List<String> quantizedNodes) {
        try (OrtSession session = OrtSessions.create(modelBytes, settings.threads(), settings.optimizationLevel(),
                settings.executionProvider())) {
            List<EvaluatedSample> outputs = ModelRuns.runAll(session, reference.inputs());
            Map<String, Double> metrics = new LinkedHashMap<>(FidelityMetrics.compute(reference.samples(), outputs,
                    reference.distributionOutputs()));
            metrics.putAll(scoreTasks(outputs));
            baselineTaskMetrics.forEach((name, value) -> metrics.put(BASELINE_PREFIX + name, value));
            Latency latency = settings.measureLatency() ? measureLatency(session) : null;
            Cost cost = new Cost(modelBytes.length, integerMacShare(modelBytes), latency);
            return Evaluation.ok(metrics, cost, quantizedNodes);
        } catch (OrtException e) {
            LOG.info("ONNX Runtime rejected a model under evaluation: {}", e.getMessage());
            return Evaluation.unsupported("ONNX Runtime cannot load or run the model: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Evaluation failed", e);
            return Evaluation.failed("Evaluation failed: " + e);
        }
    }

    /**
     * Evaluates the float model from its reference outputs instead of running it again: the
     * outputs of a second run would be the same, because sessions are deterministic. Only a
     * requested latency needs a session.
     */
    public Evaluation evaluateReference(byte[] floatModelBytes) {
        try {
            Map<String, Double> metrics = new LinkedHashMap<>(FidelityMetrics.compute(reference.samples(),
                    reference.samples(), reference.distributionOutputs()));
            metrics.putAll(baselineTaskMetrics);
            baselineTaskMetrics.forEach((name, value) -> metrics.put(BASELINE_PREFIX + name, value));
            Latency latency = null;
            if (settings.measureLatency()) {
                try (OrtSession session = OrtSessions.create(floatModelBytes, settings.threads(),
                        settings.optimizationLevel(), settings.executionProvider())) {
                    latency = measureLatency(session);
                }
            }
            Cost cost = new Cost(floatModelBytes.length, integerMacShare(floatModelBytes), latency);
            return Evaluation.ok(metrics, cost, List.of());
        } catch (OrtException e) {
            LOG.info("ONNX Runtime rejected the float model: {}", e.getMessage());
            return Evaluation.unsupported("ONNX Runtime cannot load or run the model: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Evaluation of the float model failed", e);
            return Evaluation.failed("Evaluation failed: " + e);
        }
    }

    private Latency measureLatency(OrtSession session) throws OrtException {
        return new LatencyMeter(settings.warmupRuns(), settings.latencyRuns()).measure(session,
                reference.inputs().get(0), settings.threads(), settings.executionProvider().name());
    }

    private double integerMacShare(byte[] modelBytes) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(modelBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("ONNX Runtime loaded the model, but it does not parse as a ModelProto: "
                    + e.getMessage(), e);
        }
        try {
            return IntegerMacShare.count(model, reference.inputs().get(0), settings.threads()).share();
        } catch (OrtException e) {
            throw new IllegalStateException("Counting multiply-accumulates failed: ONNX Runtime rejected the copy of "
                    + "the model with node shapes exposed as outputs: " + e.getMessage(), e);
        }
    }

    private SortedMap<String, Double> scoreTasks(List<EvaluatedSample> samples) {
        SortedMap<String, Double> values = new TreeMap<>();
        for (TaskMetric metric : taskMetrics) {
            values.put(metric.name(), metric.score(samples, labels));
        }
        return values;
    }
}
