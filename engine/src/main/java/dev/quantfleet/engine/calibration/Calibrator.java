package dev.quantfleet.engine.calibration;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * ONNX Runtime keeps every graph output through its graph optimizations, so every optimization
 * level returns the calibrated tensors. Fusions apply only where no calibrated tensor lies inside
 * the fused nodes.
 * Sessions use {@link dev.quantfleet.engine.runtime.OrtSessions}' deterministic settings, and
 * the statistics do not depend on the order in which values arrive, so equal models, tensors,
 * samples, bin counts and execution providers give equal statistics on one machine.
 */
public final class Calibrator {

    private static final Logger LOG = LoggerFactory.getLogger(Calibrator.class);

    /**
     * Graph optimizations used unless the caller chooses: ONNX Runtime's basic level, with constant
     * folding, removal of redundant nodes and a few node fusions. On all-MiniLM-L6-v2,
     * {@code CalibrationBenchmark} in the benchmarks module measured the same speed at
     * {@code BASIC_OPT} and {@code ALL_OPT}.
     */
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
     * @param tensorNames       float graph inputs and node outputs of the main graph to calibrate,
     *                          e.g. from {@link CalibrationTargets#floatTensors(ModelProto)}
     * @param threads           ONNX Runtime intra-op threads, and threads that record the outputs
     * @param numBins           histogram bins per tensor; see {@link TensorStatistics}
     * @param optimizationLevel ONNX Runtime graph optimizations
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

    /** Returns the model with every calibrated node output added as a graph output. */
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
        return calibrate(samples, ExecutionProvider.cpu());
    }

    /**
     * Runs every sample of {@code samples} on {@code provider} and returns the statistics of all
     * calibrated tensors.
     *
     * @throws OrtException if ONNX Runtime rejects the augmented model or fails on a sample
     * @throws IllegalStateException if a calibrated tensor turns out not to be float
     */
    public CalibrationStatistics calibrate(SampleSource samples, ExecutionProvider provider) throws OrtException {
        long startNanos = System.nanoTime();
        try (CalibrationRun run = open(provider)) {
            run.addAll(samples);
            LOG.info("Calibrated {} tensors over {} samples of {} in {} ms", tensorNames.size(), run.sampleCount(),
                    samples.description(), (System.nanoTime() - startNanos) / 1_000_000);
            return run.statistics();
        }
    }

    /**
     * Opens a run that takes samples one by one, e.g. from several sources; the caller closes it.
     *
     * @throws OrtException if ONNX Runtime rejects the augmented model
     */
    public CalibrationRun open() throws OrtException {
        return open(ExecutionProvider.cpu());
    }

    /**
     * Opens a run on {@code provider} that takes samples one by one; the caller closes it.
     *
     * @throws OrtException if ONNX Runtime rejects the augmented model
     */
    public CalibrationRun open(ExecutionProvider provider) throws OrtException {
        return new CalibrationRun(augmentedModel, tensorNames, graphInputNames, nodeOutputNames, threads, numBins,
                optimizationLevel, provider);
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
