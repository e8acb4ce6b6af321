package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A made-up transformer for search tests: eight layers of one MatMul and one Add, and an
 * embedding Gather. Quantizing a node costs cosine in proportion to an error that depends on
 * the node's types and the calibration method; {@code /layer.3/MatMul} costs 200 times more.
 * Model size counts weights at their stored width. The combination QInt8 activations with
 * QUInt8 weights comes back UNSUPPORTED. When built to measure latency, each float MatMul takes
 * 1 ms, each quantized one 0.5 ms, or 0.45 ms in operator form ContribFused (it fuses the
 * MatMul with its bias Add); these numbers are made up. Pure and deterministic: the same task
 * always gives the same evaluation.
 */
final class FakeModel implements TaskExecutor {

    static final String SENSITIVE_NODE = "/layer.3/MatMul";
    static final String METRIC = "cosine";

    private final Map<String, String> opTypes = new LinkedHashMap<>();
    private final Map<TaskKind, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final double sensitiveFactor;
    private final boolean measuresLatency;
    private final int layers;

    FakeModel() {
        this(200);
    }

    FakeModel(double sensitiveFactor) {
        this(sensitiveFactor, false);
    }

    FakeModel(double sensitiveFactor, boolean measuresLatency) {
        this(sensitiveFactor, measuresLatency, 8);
    }

    /** A model with {@code layers} layers (at least 4, so that the sensitive node exists). */
    FakeModel(double sensitiveFactor, boolean measuresLatency, int layers) {
        this.sensitiveFactor = sensitiveFactor;
        this.measuresLatency = measuresLatency;
        this.layers = layers;
        opTypes.put("/embeddings/Gather", "Gather");
        for (int layer = 0; layer < layers; layer++) {
            opTypes.put("/layer." + layer + "/MatMul", "MatMul");
            opTypes.put("/layer." + layer + "/Add", "Add");
        }
    }

    /** Returns the facts of this model on ONNX Runtime's CPU execution provider, which runs ContribFused. */
    ModelFacts facts(int maxReachableOpset) {
        return facts(maxReachableOpset, OperatorForm.CPU_EXECUTION_PROVIDER);
    }

    ModelFacts facts(int maxReachableOpset, String executionProvider) {
        return new ModelFacts(17, maxReachableOpset, new TreeSet<>(opTypes.values()),
                new TreeSet<>(List.of("Gather", "Gemm", "MatMul")), new ArrayList<>(opTypes.keySet()), executionProvider);
    }

    static SearchGoal goal() {
        return SearchGoal.absolute(METRIC, MetricDirection.HIGHER_IS_BETTER, 0.01);
    }

    static SearchInputs inputs() {
        return new SearchInputs("model.onnx", "aa", "calibration.npy", "evaluation.npy", "bb");
    }

    int calls(TaskKind kind) {
        return calls.computeIfAbsent(kind, k -> new AtomicInteger()).get();
    }

    @Override
    public Evaluation execute(SearchTask task) {
        calls.computeIfAbsent(task.kind(), k -> new AtomicInteger()).incrementAndGet();
        if (task.kind() == TaskKind.BASELINE) {
            return Evaluation.ok(Map.of(METRIC, 1.0, "mse", 0.0), cost(List.of(), null), List.of());
        }
        if (task.kind() == TaskKind.CALIBRATE) {
            return Evaluation.ok(Map.of(), cost(List.of(), null), List.of());
        }
        QuantConfig config = task.config();
        if (config.activationType() == QuantType.QInt8 && config.weightType() == QuantType.QUInt8) {
            return Evaluation.unsupported("no kernel for QInt8 activations with QUInt8 weights");
        }
        List<String> quantized = quantizedNodes(config);
        double error = 0;
        for (String node : quantized) {
            error += error(config, node);
        }
        return Evaluation.ok(Map.of(METRIC, 1 - error, "mse", error / 10), cost(quantized, config), quantized);
    }

    private double error(QuantConfig config, String node) {
        NodeOverride settings = config.effectiveSettings(node);
        double error = 0.001;
        error *= settings.activationType().bits() == 16 ? 0.1 : 1;
        error *= switch (settings.weightType().bits()) {
            case 4 -> 3.0;
            case 16 -> 0.5;
            default -> 1.0;
        };
        error *= config.perChannel() ? 1 : 1.5;
        error *= config.activationSymmetric() ? 1.1 : 1;
        error *= config.format() == QuantFormat.Dynamic ? 1.2 : 1;
        error *= switch (config.calibrationMethod()) {
            case MinMax -> 1.0;
            case Percentile -> config.calibrationParameters().percentile() < 99.95 ? 0.7 : 0.8;
            case Entropy -> 0.9;
            case MinMSE -> 0.85;
        };
        return node.equals(SENSITIVE_NODE) ? error * sensitiveFactor : error;
    }

    private List<String> quantizedNodes(QuantConfig config) {
        Set<String> types = config.opTypesToQuantize() != null ? new TreeSet<>(config.opTypesToQuantize())
                : config.format() == QuantFormat.Dynamic ? QuantConfig.DYNAMIC_OP_TYPES : Set.of("Gather", "Gemm", "MatMul");
        List<String> quantized = new ArrayList<>();
        opTypes.forEach((node, opType) -> {
            boolean selected = types.contains(opType) && (!opType.equals("Gather") || config.quantizeEmbeddings());
            if (selected && !excluded(config, node) && !config.effectiveSettings(node).keepFloat()) {
                quantized.add(node);
            }
        });
        return quantized;
    }

    private static boolean excluded(QuantConfig config, String node) {
        for (String pattern : config.nodesToExclude()) {
            if (pattern.startsWith(QuantConfig.REGEX_PREFIX)
                    ? Pattern.matches(pattern.substring(QuantConfig.REGEX_PREFIX.length()), node)
                    : pattern.equals(node)) {
                return true;
            }
        }
        return false;
    }

    private Cost cost(List<String> quantized, QuantConfig config) {
        long bytes = 100;
        for (Map.Entry<String, String> node : opTypes.entrySet()) {
            long parameters = switch (node.getValue()) {
                case "Gather" -> 5000;
                case "MatMul" -> 1000;
                default -> 0;
            };
            int bits = quantized.contains(node.getKey()) ? config.effectiveSettings(node.getKey()).weightType().bits() : 32;
            bytes += parameters * bits / 8;
        }
        long matMuls = quantized.stream().filter(node -> node.endsWith("MatMul")).count();
        long integerMatMuls = quantized.stream().filter(node -> node.endsWith("MatMul") && eightBit(config, node)).count();
        return new Cost(bytes, (double) integerMatMuls / layers, measuresLatency ? latency(matMuls, config) : null);
    }

    /** As ONNX Runtime's CPU provider: only 8-bit activations with 8-bit weights run in integer kernels. */
    private static boolean eightBit(QuantConfig config, String node) {
        NodeOverride settings = config.effectiveSettings(node);
        return settings.activationType().bits() == 8 && settings.weightType().bits() == 8;
    }

    private Latency latency(long quantizedMatMuls, QuantConfig config) {
        boolean fused = config != null && config.operatorForm() == OperatorForm.ContribFused;
        double medianMs = (layers - quantizedMatMuls) * 1.0 + quantizedMatMuls * (fused ? 0.45 : 0.5);
        return new Latency(medianMs, medianMs, medianMs, 1, 0, 1, OperatorForm.CPU_EXECUTION_PROVIDER);
    }
}
