package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;

import java.util.Objects;
import java.util.SortedMap;

/**
 * The float model's numbers, against which every drop is measured.
 *
 * @param metrics metric name to value, sorted by name
 * @param cost    size, integer share (0 for a float model) and latency
 */
@JsonPropertyOrder({"metrics", "cost"})
public record Baseline(SortedMap<String, Double> metrics, Cost cost) {

    public Baseline {
        metrics = Metrics.sortedCopy(metrics);
        Objects.requireNonNull(cost, "cost");
    }

    /** Copies the numbers of a successful evaluation of the float model; rejects one that is not OK. */
    public static Baseline from(Evaluation evaluation) {
        if (evaluation.status() != EvaluationStatus.OK) {
            throw new IllegalArgumentException("The float model's evaluation is " + evaluation.status()
                    + " (" + evaluation.reason() + "); a report needs an OK baseline");
        }
        return new Baseline(evaluation.metrics(), evaluation.cost());
    }
}
