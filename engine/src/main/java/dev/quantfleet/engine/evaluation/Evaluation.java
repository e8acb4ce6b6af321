package dev.quantfleet.engine.evaluation;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of evaluating one model (the float baseline or a quantized candidate).
 *
 * @param status         OK, or why there are no numbers
 * @param metrics        metric name to value, e.g. {@code cosine}, {@code mse}, {@code recall@1};
 *                       sorted by name; empty unless OK
 * @param cost           size, integer share and latency; null unless OK
 * @param quantizedNodes names of the nodes the quantizer rewrote, sorted; empty for the baseline
 * @param reason         why the status is not OK, with the runtime's message; null when OK
 */
public record Evaluation(EvaluationStatus status, SortedMap<String, Double> metrics, Cost cost,
                         List<String> quantizedNodes, String reason) {

    public Evaluation {
        metrics = metrics == null ? new TreeMap<>() : new TreeMap<>(metrics);
        quantizedNodes = quantizedNodes == null ? List.of() : quantizedNodes.stream().sorted().toList();
    }

    public static Evaluation ok(Map<String, Double> metrics, Cost cost, List<String> quantizedNodes) {
        return new Evaluation(EvaluationStatus.OK, new TreeMap<>(metrics), cost, quantizedNodes, null);
    }

    public static Evaluation failed(String reason) {
        return new Evaluation(EvaluationStatus.FAILED, null, null, null, reason);
    }

    public static Evaluation unsupported(String reason) {
        return new Evaluation(EvaluationStatus.UNSUPPORTED, null, null, null, reason);
    }

    /** The value of metric {@code name}, or throws naming the metrics this evaluation has. */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("No metric '" + name + "' in this evaluation (status " + status
                    + "); it has " + metrics.keySet());
        }
        return value;
    }
}
