package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.artifacts.ArtifactStoreException;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.data.TextPairs.TextPair;
import dev.quantfleet.engine.evaluation.EvaluatedSample;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.Labels;
import dev.quantfleet.engine.evaluation.OutputTensor;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Reads the calibration and evaluation data of one request from the coordinator's local copies,
 * as the workers will read them, so that data and labels that do not fit the model are rejected
 * before any task runs:
 * <ul>
 *   <li>every sample of both data sets is read and checked against the model's inputs, not only
 *       the first one;</li>
 *   <li>the labels are read, and there must be one per evaluation sample;</li>
 *   <li>when the goal's metric is a task metric, the labels must be of the kind it scores (reference
 *       texts for {@code cer}, class labels for {@code accuracy}), also for a model whose output
 *       shape is not fixed;</li>
 *   <li>when the goal's metric is a task metric, it is computed once over placeholder outputs of
 *       the shape that the model declares for its first float output. This runs the metric's own
 *       checks of the labels and the data, such as the label range of {@code accuracy} or the
 *       text pairs of {@code recall@K}, without running the model.</li>
 * </ul>
 * Every message names the request field and the file name the data was submitted with, never the
 * path of the coordinator's local copy.
 *
 * <p>NOTE: the metric check is skipped when the first float output has a symbolic dimension after
 * the first one (a sequence length, say), because the placeholder needs the real size. Those
 * problems surface when the float model's BASELINE task fails on a worker, which rejects the
 * request as soon as its result arrives. The check trusts the declared shape, so a model that
 * declares another output shape than it computes can be rejected although its worker run works.
 */
final class DataCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DataCheck.class);
    private static final long PLACEHOLDER_SEED = 1;

    private final RequestValidator validator;
    private final QuantizationRequest request;
    private final ModelProto model;
    /** Local copy path to the name shown in messages. */
    private final Map<String, String> shownNames = new LinkedHashMap<>();

    DataCheck(RequestValidator validator, QuantizationRequest request, ModelProto model, Path modelFile) {
        this.validator = validator;
        this.request = request;
        this.model = model;
        shownNames.put(modelFile.toString(), "model.onnx");
    }

    /** Returns the reasons to reject the request's data; empty when the data fit the model. */
    List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        checkCalibration(reasons);
        checkEvaluation(reasons);
        return reasons;
    }

    private void checkCalibration(List<String> reasons) {
        DataReference calibration = request.calibrationData();
        String field = "calibrationData '" + calibration.fileName() + "'";
        try {
            Path data = fetch(calibration);
            TextOptions textOptions = textOptions(calibration, "calibrationData");
            try (SampleSource samples = SampleSources.open(data, model, textOptions)) {
                int count = countSamples(samples);
                LOG.debug("Request {}: {} samples of {} fit the model", request.requestId(), count, field);
            }
        } catch (InvalidDataException | UncheckedIOException | ArtifactStoreException e) {
            reasons.add(field + " does not fit the model: " + withSubmittedNames(e));
        }
    }

    private void checkEvaluation(List<String> reasons) {
        DataReference evaluation = request.evaluationData();
        String field = "evaluationData '" + evaluation.fileName() + "'";
        List<String> origins = new ArrayList<>();
        List<TextPair> pairs;
        try {
            Path data = fetch(evaluation);
            try (EvaluationData opened = EvaluationData.open(data, null, model,
                    textOptions(evaluation, "evaluationData"))) {
                for (Sample sample : opened.samples()) {
                    origins.add(sample.origin());
                }
                pairs = opened.labels().pairs();
            }
        } catch (InvalidDataException | UncheckedIOException | ArtifactStoreException e) {
            reasons.add(field + " does not fit the model: " + withSubmittedNames(e));
            return;
        }
        Optional<Labels> labels = readLabels(field, origins.size(), reasons);
        if (labels.isEmpty() && request.labels() != null) {
            return;
        }
        Labels read = labels.orElse(Labels.none());
        checkTaskMetric(field, origins, new Labels(read.classes(), pairs, read.texts()), reasons);
    }

    /**
     * Reads the labels, class labels or reference texts as the workers will, and checks their count.
     * Returns empty without labels or after adding a reason.
     */
    private Optional<Labels> readLabels(String evaluationField, int sampleCount, List<String> reasons) {
        if (request.labels() == null) {
            return Optional.empty();
        }
        String field = labelsField();
        Labels labels;
        try {
            Path file = validator.fetchLabels(request.labels());
            shownNames.put(file.toString(), labelsName());
            labels = Labels.read(file);
        } catch (InvalidDataException | UncheckedIOException | ArtifactStoreException e) {
            reasons.add(field + " cannot be read: " + withSubmittedNames(e));
            return Optional.empty();
        }
        if (labels.labelledSampleCount() != sampleCount) {
            reasons.add(field + " has " + labels.labelledSampleCount() + " labels, but " + evaluationField + " has "
                    + sampleCount + " samples; give exactly one label per sample");
            return Optional.empty();
        }
        return Optional.of(labels);
    }

    /**
     * Checks that the labels are of the kind the goal's task metric scores, then computes the metric
     * over placeholder outputs, and adds the metric's error as a reason.
     */
    private void checkTaskMetric(String evaluationField, List<String> origins, Labels labels, List<String> reasons) {
        String metricName = request.goal().metric();
        Optional<TaskMetric> metric = TaskMetrics.find(metricName);
        if (metric.isEmpty()) {
            return;
        }
        try {
            metric.get().requireLabels(labels);
        } catch (IllegalArgumentException e) {
            reasons.add(metricReason(evaluationField, e));
            return;
        }
        Optional<OutputTensor> placeholder = placeholderOutput();
        if (placeholder.isEmpty()) {
            LOG.info("Request {}: the first float output of the model has no fixed shape, so goal.metric '{}' is"
                    + " first checked on the worker", request.requestId(), metricName);
            return;
        }
        List<EvaluatedSample> samples = new ArrayList<>(origins.size());
        for (String origin : origins) {
            samples.add(new EvaluatedSample(new Sample(origin, Map.of()), List.of(placeholder.get())));
        }
        try {
            metric.get().score(samples, labels);
        } catch (IllegalArgumentException | IllegalStateException e) {
            reasons.add(metricReason(evaluationField, e));
        }
    }

    private String metricReason(String evaluationField, RuntimeException e) {
        String labelsPart = request.labels() == null ? "" : " with " + labelsField();
        return "goal.metric '" + request.goal().metric() + "' cannot be computed on " + evaluationField + labelsPart
                + ": " + withSubmittedNames(e);
    }

    /**
     * Returns seeded values in the shape of the model's first float graph output. A symbolic first
     * dimension counts as 1, because samples reach the model one at a time. Returns empty when
     * there is no float output or another dimension is not fixed.
     */
    private Optional<OutputTensor> placeholderOutput() {
        for (ValueInfoProto output : model.getGraph().getOutputList()) {
            if (!output.getType().hasTensorType()
                    || output.getType().getTensorType().getElemType() != ElementType.FLOAT.code()) {
                continue;
            }
            return shapeOf(output).map(shape -> new OutputTensor(output.getName(), shape, seededValues(shape)));
        }
        return Optional.empty();
    }

    private static Optional<long[]> shapeOf(ValueInfoProto output) {
        if (!output.getType().getTensorType().hasShape()) {
            return Optional.empty();
        }
        List<TensorShapeProto.Dimension> dims = output.getType().getTensorType().getShape().getDimList();
        long[] shape = new long[dims.size()];
        for (int axis = 0; axis < dims.size(); axis++) {
            TensorShapeProto.Dimension dim = dims.get(axis);
            if (dim.hasDimValue() && dim.getDimValue() > 0) {
                shape[axis] = dim.getDimValue();
            } else if (axis == 0) {
                shape[axis] = 1;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(shape);
    }

    private static float[] seededValues(long[] shape) {
        long count = 1;
        for (long size : shape) {
            count = Math.multiplyExact(count, size);
        }
        Random random = new Random(PLACEHOLDER_SEED);
        float[] values = new float[Math.toIntExact(count)];
        for (int index = 0; index < values.length; index++) {
            values[index] = random.nextFloat();
        }
        return values;
    }

    private static int countSamples(SampleSource samples) {
        int count = 0;
        for (Sample ignored : samples) {
            count++;
        }
        return count;
    }

    private Path fetch(DataReference data) {
        Path local = validator.fetchData(data);
        shownNames.put(local.toString(), data.fileName());
        return local;
    }

    private TextOptions textOptions(DataReference data, String field) {
        TextOptions options = validator.textOptions(data);
        if (options != null) {
            shownNames.put(options.tokenizer().toString(), field + ".tokenizer");
        }
        return options;
    }

    /** Returns the labels' file name from the key's last segment, or the field name for a content key. */
    private String labelsName() {
        String fileName = ArtifactCache.fileNameOf(request.labels());
        return RequestValidator.isContentHash(fileName) ? "labels" : fileName;
    }

    private String labelsField() {
        String name = labelsName();
        return name.equals("labels") ? "labels" : "labels '" + name + "'";
    }

    /** Returns the exception's message with every local copy's path replaced by the name the user gave. */
    private String withSubmittedNames(RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        for (Map.Entry<String, String> name : shownNames.entrySet()) {
            message = message.replace(name.getKey(), name.getValue());
        }
        return message;
    }
}
