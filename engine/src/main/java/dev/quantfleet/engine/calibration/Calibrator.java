package dev.quantfleet.engine.calibration;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.runtime.OrtSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Collects {@link TensorStatistics} of chosen float tensors of a model by running calibration
 * samples through ONNX Runtime, one sample at a time, with no activation kept after its sample.
 *
 * <p>The model is run in an augmented copy in which every calibrated node output is also a graph
 * output, so that one session run returns all of them:
 * <pre>
 *   before:  x ──► MatMul ──► h ──► Relu ──► y        outputs: y
 *   after:   x ──► MatMul ──► h ──► Relu ──► y        outputs: y, h
 *                             └──────────────────────► (h exposed, type float, shape open)
 * </pre>
 * Graph inputs are measured from the sample data directly and initializers are not calibrated.
 * The session runs with {@link OrtSessions}' deterministic settings, so equal models, tensors,
 * samples, thread counts and bin counts give equal statistics on one machine.
 */
public final class Calibrator {

    private static final Logger LOG = LoggerFactory.getLogger(Calibrator.class);

    /** Graph optimizations used unless the caller chooses: constant folding and similar rewrites only. */
    public static final OptLevel DEFAULT_OPTIMIZATION_LEVEL = OptLevel.BASIC_OPT;

    private final ModelProto augmentedModel;
    private final List<String> tensorNames;
    private final Set<String> graphInputNames = new LinkedHashSet<>();
    private final Set<String> nodeOutputNames = new LinkedHashSet<>();
    private final int threads;
    private final int numBins;
    private final OptLevel optimizationLevel;

    /**
     * Prepares calibration of {@code tensorNames} with the default optimization level.
     *
     * @see #Calibrator(ModelProto, List, int, int, OptLevel)
     */
    public Calibrator(ModelProto model, List<String> tensorNames, int threads, int numBins) {
        this(model, tensorNames, threads, numBins, DEFAULT_OPTIMIZATION_LEVEL);
    }

    /**
     * Prepares calibration of {@code tensorNames}.
     *
     * @param model             the float model, with inline tensor data
     * @param tensorNames       float graph inputs and node outputs of the main graph to calibrate
     * @param threads           ONNX Runtime intra-op threads
     * @param numBins           histogram bins per tensor; see {@link TensorStatistics}
     * @param optimizationLevel ONNX Runtime graph optimizations; calibrated tensors survive every level
     * @throws IllegalArgumentException if a name is an initializer, no value of the main graph, or
     *                                  declared with a type other than float
     */
    public Calibrator(ModelProto model, List<String> tensorNames, int threads, int numBins, OptLevel optimizationLevel) {
        TensorStatistics.requireValidBinCount(numBins);
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; it must be at least 1");
        }
        this.tensorNames = List.copyOf(new LinkedHashSet<>(tensorNames));
        this.threads = threads;
        this.numBins = numBins;
        this.optimizationLevel = optimizationLevel;
        classify(new GraphView(model.getGraph()));
        this.augmentedModel = augment(model);
    }

    /** The model with every calibrated node output added as a graph output. */
    public ModelProto augmentedModel() {
        return augmentedModel;
    }

    public List<String> tensorNames() {
        return tensorNames;
    }

    /**
     * Runs every sample of {@code samples} and returns the statistics of all calibrated tensors.
     *
     * @throws OrtException if ONNX Runtime rejects the augmented model or fails on a sample
     * @throws IllegalStateException if a calibrated tensor turns out not to be float
     */
    public CalibrationStatistics calibrate(SampleSource samples) throws OrtException {
        Map<String, TensorStatistics> statistics = new LinkedHashMap<>();
        tensorNames.forEach(name -> statistics.put(name, new TensorStatistics(numBins)));
        long startNanos = System.nanoTime();
        int sampleCount = 0;
        OrtEnvironment environment = OrtSessions.environment();
        try (OrtSession session = createSession()) {
            for (Sample sample : samples) {
                measureInputs(sample, statistics);
                if (!nodeOutputNames.isEmpty()) {
                    runSample(environment, session, sample, statistics);
                }
                sampleCount++;
            }
        }
        LOG.info("Calibrated {} tensors over {} samples of {} in {} ms", tensorNames.size(), sampleCount,
                samples.description(), (System.nanoTime() - startNanos) / 1_000_000);
        return new CalibrationStatistics(statistics);
    }

    private OrtSession createSession() throws OrtException {
        try {
            return OrtSessions.create(augmentedModel.toByteArray(), threads, optimizationLevel);
        } catch (OrtException e) {
            throw new OrtException(e.getCode(), "ONNX Runtime rejected the model with " + nodeOutputNames.size()
                    + " calibration outputs added; every calibrated tensor must be a float node output: "
                    + e.getMessage());
        }
    }

    private void measureInputs(Sample sample, Map<String, TensorStatistics> statistics) {
        for (String name : graphInputNames) {
            TensorValue value = sample.input(name);
            if (value.elementType() != ElementType.FLOAT) {
                throw new IllegalStateException("Graph input '" + name + "' holds " + value.describe() + " in "
                        + sample.origin() + "; only float tensors can be calibrated");
            }
            statistics.get(name).add(value.floatValues());
        }
    }

    private void runSample(OrtEnvironment environment, OrtSession session, Sample sample,
                           Map<String, TensorStatistics> statistics) throws OrtException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorValue> input : sample.inputs().entrySet()) {
                inputs.put(input.getKey(), input.getValue().toOnnxTensor(environment));
            }
            try (OrtSession.Result result = session.run(inputs, nodeOutputNames)) {
                for (String name : nodeOutputNames) {
                    statistics.get(name).add(floatOutput(result, name, sample));
                }
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static java.nio.FloatBuffer floatOutput(OrtSession.Result result, String name, Sample sample)
            throws OrtException {
        Optional<OnnxValue> value = result.get(name);
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("ONNX Runtime returned no tensor '" + name + "' for " + sample.origin());
        }
        TensorInfo info = tensor.getInfo();
        if (info.onnxType != TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
            throw new IllegalStateException("Tensor '" + name + "' is " + info.onnxType + ", not float; remove it "
                    + "from the calibrated tensors");
        }
        return tensor.getFloatBuffer();
    }

    private void classify(GraphView graph) {
        List<String> unknown = new ArrayList<>();
        for (String name : tensorNames) {
            if (graph.initializer(name).isPresent()) {
                throw new IllegalArgumentException("Tensor '" + name + "' is an initializer; initializers are "
                        + "weights and need no calibration, so remove it from the calibrated tensors");
            }
            graph.valueInfo(name).ifPresent(info -> requireFloat(name, info));
            if (graph.isGraphInput(name)) {
                graphInputNames.add(name);
            } else if (graph.producer(name).isPresent()) {
                nodeOutputNames.add(name);
            } else {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Tensors " + unknown + " are neither graph inputs nor node outputs "
                    + "of the main graph; values inside If, Loop and Scan bodies cannot be calibrated");
        }
    }

    private static void requireFloat(String name, ValueInfoProto info) {
        int elementType = info.getType().getTensorType().getElemType();
        if (info.getType().hasTensorType() && elementType != 0 && elementType != ElementType.FLOAT.code()) {
            throw new IllegalArgumentException("Tensor '" + name + "' is declared as "
                    + ElementType.fromCode(elementType) + "; only float tensors can be calibrated");
        }
    }

    private ModelProto augment(ModelProto model) {
        GraphProto graph = model.getGraph();
        Set<String> outputs = new LinkedHashSet<>();
        graph.getOutputList().forEach(output -> outputs.add(output.getName()));
        GraphProto.Builder augmented = graph.toBuilder();
        for (String name : nodeOutputNames) {
            if (outputs.add(name)) {
                augmented.addOutput(floatOutputInfo(name));
            }
        }
        return model.toBuilder().setGraph(augmented).build();
    }

    static ValueInfoProto floatOutputInfo(String name) {
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder().setElemType(ElementType.FLOAT.code()).build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensorType))
                .build();
    }
}
