package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The OK candidates that no other OK candidate beats on both quality and cost.
 *
 * @param qualityMetric the goal metric, the quality axis
 * @param costAxis      the cost axis
 * @param candidateIds  ids of the candidates on the front, cheapest first
 */
@JsonPropertyOrder({"qualityMetric", "costAxis", "candidateIds"})
public record ParetoFront(String qualityMetric, CostAxis costAxis, List<String> candidateIds) {

    public ParetoFront {
        Objects.requireNonNull(qualityMetric, "qualityMetric");
        Objects.requireNonNull(costAxis, "costAxis");
        candidateIds = candidateIds == null ? List.of() : List.copyOf(candidateIds);
    }

    /**
     * Computes the front over the OK candidates that have both the goal metric and a value on
     * {@code costAxis}. Candidate a dominates b when a's cost is at most b's, a's metric is at
     * least as good, and a is strictly better on one of the two. Candidates with equal points all
     * stay. Ordered by cost, then by metric best first, then by id. O(n²) in the candidates.
     */
    public static ParetoFront compute(Goal goal, CostAxis costAxis, List<CandidateEntry> candidates) {
        List<Point> points = new ArrayList<>();
        for (CandidateEntry candidate : candidates) {
            Double quality = candidate.metrics().get(goal.metric());
            Double cost = costAxis.valueOf(candidate.cost());
            if (candidate.isOk() && quality != null && cost != null && !quality.isNaN() && !cost.isNaN()) {
                points.add(new Point(candidate.candidateId(), quality, cost));
            }
        }
        Comparator<Point> order = Comparator.<Point>comparingDouble(Point::cost)
                .thenComparing((a, b) -> goal.direction().compareBestFirst(a.quality(), b.quality()))
                .thenComparing(Point::candidateId);
        List<String> front = points.stream()
                .filter(point -> points.stream().noneMatch(other -> dominates(goal, other, point)))
                .sorted(order)
                .map(Point::candidateId)
                .toList();
        return new ParetoFront(goal.metric(), costAxis, front);
    }

    private static boolean dominates(Goal goal, Point a, Point b) {
        int quality = goal.direction().compareBestFirst(a.quality(), b.quality());
        int cost = Double.compare(a.cost(), b.cost());
        return quality <= 0 && cost <= 0 && (quality < 0 || cost < 0);
    }

    private record Point(String candidateId, double quality, double cost) {
    }
}
