package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Orders the EVALUATE results of a search against its goal. Only OK results that have the goal's
 * metric are ranked; probes (SENSITIVITY) never are.
 * <ul>
 *   <li>Acceptable candidates: objective cost bucket ascending (costs within about 1 % count as
 *       equal, see {@link Objective#withinTolerance}; NaN last), then metric best first, then exact
 *       cost, then model size, then candidate id. The first is the winner. Without buckets, a model 0.4 % smaller
 *       would win over one whose outputs are much closer to the float model's.</li>
 *   <li>When none is acceptable: metric best first, then objective cost ascending, then candidate
 *       id. The first is reported as the best, with {@code acceptable=false}.</li>
 * </ul>
 * Both are total orders because candidate ids are unique within a search.
 */
public final class CandidateRanking {

    private final SearchGoal goal;
    private final Evaluation baseline;

    public CandidateRanking(SearchGoal goal, Evaluation baseline) {
        this.goal = goal;
        this.baseline = baseline;
    }

    /** Returns whether {@code result} is an OK EVALUATE result with the goal's metric. */
    public boolean ranked(CandidateResult result) {
        return result.kind() == TaskKind.EVALUATE && result.evaluation().status() == EvaluationStatus.OK
                && result.evaluation().metrics().containsKey(goal.metric());
    }

    /** Returns whether {@code result} is ranked and meets the goal. */
    public boolean acceptable(CandidateResult result) {
        return ranked(result) && goal.accepts(baseline, result.evaluation());
    }

    /**
     * Orders the acceptable results among {@code results} as the class comment describes; the
     * tolerance is measured from the cheapest of them.
     */
    public Comparator<CandidateResult> acceptableOrder(List<CandidateResult> results) {
        double cheapest = results.stream().filter(this::acceptable).mapToDouble(this::objectiveCost)
                .filter(cost -> !Double.isNaN(cost)).min().orElse(Double.NaN);
        Comparator<CandidateResult> tierFirst = Comparator.comparing(
                result -> !goal.objective().withinTolerance(objectiveCost(result), cheapest));
        return tierFirst.thenComparing((a, b) -> {
            boolean tier = goal.objective().withinTolerance(objectiveCost(a), cheapest);
            Comparator<CandidateResult> byCost = Comparator.comparingDouble(this::objectiveCost);
            Comparator<CandidateResult> byQuality = this::compareQuality;
            Comparator<CandidateResult> bySize = Comparator.comparingLong(result -> result.evaluation().cost().modelBytes());
            Comparator<CandidateResult> order = tier ? byQuality.thenComparing(byCost) : byCost.thenComparing(byQuality);
            return order.thenComparing(bySize).thenComparing(CandidateResult::candidateId).compare(a, b);
        });
    }

    public Comparator<CandidateResult> qualityOrder() {
        Comparator<CandidateResult> byQuality = this::compareQuality;
        return byQuality.thenComparingDouble(this::objectiveCost)
                .thenComparing(CandidateResult::candidateId);
    }

    /** Returns the best acceptable result, or else the best ranked one, or empty when none is ranked. */
    public Optional<CandidateResult> best(List<CandidateResult> results) {
        Optional<CandidateResult> acceptable = results.stream().filter(this::acceptable)
                .min(acceptableOrder(results));
        return acceptable.isPresent() ? acceptable : results.stream().filter(this::ranked).min(qualityOrder());
    }

    /**
     * Returns the ranked result with the best metric among those that cost as little under
     * {@code objective} as the cheapest ranked one (within the objective's tolerance); empty when
     * none is ranked.
     */
    public Optional<CandidateResult> bestOfCheapest(List<CandidateResult> results, Objective objective) {
        List<CandidateResult> ranked = results.stream().filter(this::ranked).toList();
        double cheapest = ranked.stream().mapToDouble(result -> objective.of(result.evaluation().cost()))
                .filter(cost -> !Double.isNaN(cost)).min().orElse(Double.NaN);
        return ranked.stream()
                .filter(result -> objective.withinTolerance(objective.of(result.evaluation().cost()), cheapest))
                .min(qualityOrder());
    }

    /**
     * Returns the candidate ids of the ranked results that no other ranked result dominates in
     * (metric, model size, and median latency where both have it), best metric first. A result
     * dominates another when it is no worse in each of these and better in at least one.
     */
    public List<String> paretoFront(List<CandidateResult> results) {
        List<CandidateResult> ranked = results.stream().filter(this::ranked).toList();
        List<CandidateResult> front = new ArrayList<>();
        for (CandidateResult candidate : ranked) {
            boolean dominated = ranked.stream().anyMatch(other -> other != candidate && dominates(other, candidate));
            if (!dominated) {
                front.add(candidate);
            }
        }
        return front.stream().sorted(qualityOrder()).map(CandidateResult::candidateId).toList();
    }

    private boolean dominates(CandidateResult a, CandidateResult b) {
        int quality = compareQuality(a, b);
        int size = Long.compare(a.evaluation().cost().modelBytes(), b.evaluation().cost().modelBytes());
        int latency = 0;
        if (a.evaluation().cost().latency() != null && b.evaluation().cost().latency() != null) {
            latency = Double.compare(a.evaluation().cost().latency().medianMs(),
                    b.evaluation().cost().latency().medianMs());
        }
        boolean noWorse = quality <= 0 && size <= 0 && latency <= 0;
        return noWorse && (quality < 0 || size < 0 || latency < 0);
    }

    private double objectiveCost(CandidateResult result) {
        return goal.objective().of(result.evaluation().cost());
    }

    private int compareQuality(CandidateResult a, CandidateResult b) {
        return goal.direction().compareBestFirst(goal.quality(a.evaluation()), goal.quality(b.evaluation()));
    }
}
