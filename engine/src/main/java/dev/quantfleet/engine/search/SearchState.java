package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The input of a strategy before it proposes round {@link #round()}: the request and every result of
 * the earlier rounds, sorted by task id. Everything here except {@link #isCached} is a function of
 * the request, the round and the results, so {@link #asOfRound} can rebuild the state of any
 * earlier round.
 */
public final class SearchState {

    private final SearchRequest request;
    private final int round;
    private final List<CandidateResult> results;
    private final Evaluation baseline;
    private final int remainingTrials;
    private final Set<String> unsupportedCombinations;
    private final Predicate<SearchProposal> cached;
    private final CandidateRanking ranking;

    SearchState(SearchRequest request, int round, List<CandidateResult> results, Evaluation baseline,
                int remainingTrials, Set<String> unsupportedCombinations, Predicate<SearchProposal> cached) {
        this.request = request;
        this.round = round;
        this.results = List.copyOf(results);
        this.baseline = baseline;
        this.remainingTrials = remainingTrials;
        this.unsupportedCombinations = Set.copyOf(unsupportedCombinations);
        this.cached = cached;
        this.ranking = new CandidateRanking(request.goal(), baseline);
    }

    public SearchRequest request() {
        return request;
    }

    /** Returns the round about to be proposed, from 1. */
    public int round() {
        return round;
    }

    /** Returns every result so far, sorted by task id. */
    public List<CandidateResult> results() {
        return results;
    }

    /** Returns the float model's evaluation. */
    public Evaluation baseline() {
        return baseline;
    }

    /** Trials left in the budget; cached sensitivity probes cost none. */
    public int remainingTrials() {
        return remainingTrials;
    }

    public CandidateRanking ranking() {
        return ranking;
    }

    /** Returns the EVALUATE results so far, sorted by task id. */
    public List<CandidateResult> evaluations() {
        return results.stream().filter(result -> result.kind() == TaskKind.EVALUATE).toList();
    }

    /** Returns whether the sensitivity cache already contains the result of {@code proposal}. */
    public boolean isCached(SearchProposal proposal) {
        return cached.test(proposal);
    }

    /**
     * Returns the state the search had before {@code earlierRound}: the results of the rounds
     * before it and the trials left then. The sensitivity cache is not consulted again: in the
     * returned state {@link #isCached} is false for every proposal, because the cache may have
     * gained entries since that round. A strategy may therefore use the earlier state to decide
     * what it did then, but not which probes were cached.
     */
    SearchState asOfRound(int earlierRound) {
        if (earlierRound < 1 || earlierRound > round) {
            throw new IllegalArgumentException("earlierRound is " + earlierRound + "; it must be between 1 and "
                    + round);
        }
        List<CandidateResult> earlier = results.stream().filter(result -> result.round() < earlierRound).toList();
        int remaining = request.budget().maxTrials() - trialsSpent(earlier);
        return new SearchState(request, earlierRound, earlier, baseline, remaining,
                unsupportedCombinations(earlier), proposal -> false);
    }

    /** Returns the trials that {@code results} spent: their EVALUATE and SENSITIVITY results not taken from the cache. */
    static int trialsSpent(List<CandidateResult> results) {
        return (int) results.stream().filter(result -> result.round() > 0 && !result.cached()).count();
    }

    /** Returns the {@link #combinationOf combinations} of the EVALUATE results that came back UNSUPPORTED. */
    static Set<String> unsupportedCombinations(List<CandidateResult> results) {
        Set<String> combinations = new HashSet<>();
        for (CandidateResult result : results) {
            if (result.kind() == TaskKind.EVALUATE && result.evaluation().status() == EvaluationStatus.UNSUPPORTED) {
                combinations.add(combinationOf(result.config()));
            }
        }
        return combinations;
    }

    /**
     * Returns whether {@code config} may still be proposed for evaluation: it passes
     * {@link CandidateRules}, was not evaluated, and its combination of format, activation type,
     * weight type and operator form never came back UNSUPPORTED.
     */
    public boolean canEvaluate(QuantConfig config) {
        String id = SearchIds.candidateId(config);
        boolean known = results.stream().anyMatch(result -> result.kind() == TaskKind.EVALUATE
                && result.candidateId().equals(id));
        return !known && !unsupportedCombinations.contains(combinationOf(config))
                && CandidateRules.problems(config, request.facts()).isEmpty();
    }

    /**
     * Returns the key by which an UNSUPPORTED result blocks later candidates: format, activation
     * type, weight type and operator form. The form is part of the key because a runtime may lack
     * the kernel of a fused operator but not of the Standard ones.
     */
    static String combinationOf(QuantConfig config) {
        return config.format() + "/" + config.activationType() + "/" + config.weightType() + "/"
                + config.operatorForm();
    }
}
