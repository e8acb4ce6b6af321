package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.quantize.QuantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Plans the rounds of a search from the request and the results so far, without running anything.
 *
 * <p>Contract: the driver keeps no state between calls. The caller stores every result, the
 * {@link RoundPlan#cachedResults() cached results} of a plan included, and passes all of them to
 * each call, in any order (the driver sorts them by task id). A caller that restarts mid-search
 * therefore rebuilds the driver and goes on from the stored results. Each call needs every round
 * before the one it plans to be complete. To finish an interrupted round r, plan round r again
 * from the results of the rounds before r and run the tasks of that plan that have no result.
 * That plan is the first one again unless the sensitivity cache gained entries in between.
 *
 * <p>A search is:
 * <pre>
 *   run firstRound(request); store the results
 *   loop:
 *     plan = nextRound(request, results, elapsed)
 *     if plan.stops(): break
 *     store plan.cachedResults(); run plan.tasks(); store their results
 *   outcome(request, results, plan.stopReason(), elapsed)
 * </pre>
 *
 * <p>{@link #nextRound} stops, in this order, when the float model failed or lacks the goal's
 * metric, the elapsed time reached the deadline, an acceptable candidate exists and the budget
 * stops at the first one, or the trials are spent. Otherwise it asks a fresh instance of the
 * request's strategy for proposals and admits them as {@link InProcessSearch} always has: it drops
 * a proposal whose kind and candidate already have a result (or came earlier in the round), an
 * EVALUATE proposal whose combination came back UNSUPPORTED, and one that breaks
 * {@link CandidateRules}. It answers a SENSITIVITY proposal from the cache when the cache holds
 * it, and cuts the other tasks to the trials left. When nothing is admitted the search stops with
 * {@link StopReason#STRATEGY_DONE}.
 *
 * <p>Warm start: in round {@value #WARM_START_ROUND}, the request's
 * {@link SearchRequest#warmStart() warm-start configurations} come before the strategy's proposals,
 * in request order. A configuration that breaks {@link CandidateRules} is dropped with a warning,
 * and a repeated candidate id is dropped silently. The rest are EVALUATE tasks that spend trials
 * like any other, and because they are admitted first the budget cut drops the strategy's
 * proposals before them. The strategy proposes round 1 without knowing about them; the driver
 * drops a proposal of the same candidate. From round 2 on, strategies see the warm-start results
 * as results of round 1, so for example {@code auto} can skip its sensitivity phase when a warm
 * start was acceptable.
 *
 * <p>The driver reads no clock and starts no thread. It reads the sensitivity cache, so two calls
 * with the same results may differ when the cache changed in between.
 */
public final class SearchDriver {

    /** The round in which the request's warm-start configurations are evaluated: the first after round 0. */
    public static final int WARM_START_ROUND = 1;

    private static final Logger LOG = LoggerFactory.getLogger(SearchDriver.class);

    private final SensitivityCache cache;
    private final Function<String, SearchStrategy> strategies;

    /** @param cache sensitivity cache that supplies earlier probe results, or null for none */
    public SearchDriver(SensitivityCache cache) {
        this(cache, SearchStrategies::create);
    }

    /** @param strategies returns the strategy of a name; tests pass one that reuses an instance */
    SearchDriver(SensitivityCache cache, Function<String, SearchStrategy> strategies) {
        this.cache = cache;
        this.strategies = strategies;
    }

    /** Returns the tasks of round 0: BASELINE, then CALIBRATE, both on the float model. */
    public List<SearchTask> firstRound(SearchRequest request) {
        return List.of(floatModelTask(request, TaskKind.BASELINE), floatModelTask(request, TaskKind.CALIBRATE));
    }

    /**
     * Plans the round after the last one in {@code results}.
     *
     * @param results every result so far, round 0 included, in any order; task ids must be unique
     * @param elapsed time since the search started, compared with the budget's deadline
     * @throws IllegalArgumentException if the BASELINE result is missing or a task id occurs twice
     */
    public RoundPlan nextRound(SearchRequest request, Collection<CandidateResult> results, Duration elapsed) {
        List<CandidateResult> sorted = sortedByTaskId(results);
        Evaluation baseline = baselineOf(request, sorted);
        int round = sorted.stream().mapToInt(CandidateResult::round).max().orElse(0) + 1;
        String baselineProblem = baselineProblem(request, baseline);
        if (baselineProblem != null) {
            LOG.warn("Search {} stops: {}", request.requestId(), baselineProblem);
            return RoundPlan.stop(round, StopReason.BASELINE_FAILED);
        }
        if (deadlinePassed(request, elapsed)) {
            return RoundPlan.stop(round, StopReason.DEADLINE);
        }
        CandidateRanking ranking = new CandidateRanking(request.goal(), baseline);
        if (request.budget().stopAtFirstAcceptable() && sorted.stream().anyMatch(ranking::acceptable)) {
            return RoundPlan.stop(round, StopReason.FIRST_ACCEPTABLE);
        }
        int remaining = request.budget().maxTrials() - SearchState.trialsSpent(sorted);
        if (remaining <= 0) {
            return RoundPlan.stop(round, StopReason.MAX_TRIALS);
        }
        Set<String> unsupported = SearchState.unsupportedCombinations(sorted);
        SearchState state = new SearchState(request, round, sorted, baseline, remaining, unsupported,
                proposal -> isCached(request, proposal));
        SearchStrategy strategy = strategies.apply(request.strategy());
        List<SearchProposal> proposals = new ArrayList<>(warmStartProposals(request, round));
        proposals.addAll(strategy.propose(state));
        return admit(state, strategy, proposals, unsupported);
    }

    /**
     * Returns the EVALUATE proposals of the request's warm-start configurations for {@code round}:
     * none outside {@link #WARM_START_ROUND}, otherwise the valid ones in request order, each
     * candidate id once.
     */
    static List<SearchProposal> warmStartProposals(SearchRequest request, int round) {
        if (round != WARM_START_ROUND || request.warmStart().isEmpty()) {
            return List.of();
        }
        Set<String> candidateIds = new HashSet<>();
        List<SearchProposal> proposals = new ArrayList<>();
        for (QuantConfig config : request.warmStart()) {
            String candidateId = SearchIds.candidateId(config);
            if (!candidateIds.add(candidateId)) {
                continue;
            }
            List<String> problems = CandidateRules.problems(config, request.facts());
            if (!problems.isEmpty()) {
                LOG.warn("Search {}: warm-start candidate {} does not fit the model, dropped: {}",
                        request.requestId(), candidateId, problems);
                continue;
            }
            proposals.add(SearchProposal.evaluate(config));
        }
        LOG.info("Search {}: round {} starts with {} warm-start candidates {}", request.requestId(), round,
                proposals.size(), proposals.stream().map(SearchProposal::candidateId).toList());
        return proposals;
    }

    /**
     * Builds the outcome of a search that stopped for {@code stopReason}.
     *
     * @param results  every result of the search, in any order
     * @param wallTime time from the start of the search to its end
     */
    public SearchOutcome outcome(SearchRequest request, Collection<CandidateResult> results, StopReason stopReason,
                                 Duration wallTime) {
        List<CandidateResult> sorted = sortedByTaskId(results);
        Evaluation baseline = baselineOf(request, sorted);
        boolean usable = baselineProblem(request, baseline) == null;
        CandidateRanking ranking = new CandidateRanking(request.goal(), baseline);
        CandidateResult winner = usable ? ranking.best(sorted).orElse(null) : null;
        boolean acceptable = winner != null && ranking.acceptable(winner);
        SortedMap<String, Double> sensitivity = usable
                ? Sensitivities.of(sorted, request.goal(), baseline, null) : new TreeMap<>();
        List<String> front = winner == null ? List.of() : ranking.paretoFront(sorted);
        return new SearchOutcome(request.requestId(), request.strategy(), request.seed(), winner, acceptable,
                baseline, sorted, sensitivity, front, SearchState.trialsSpent(sorted), stopReason, wallTime.toMillis());
    }

    /** Turns proposals into tasks and cached results. */
    private RoundPlan admit(SearchState state, SearchStrategy strategy, List<SearchProposal> proposals,
                            Set<String> unsupported) {
        SearchRequest request = state.request();
        Set<String> known = new HashSet<>();
        state.results().forEach(result -> known.add(result.kind() + "/" + result.candidateId()));
        List<SearchTask> tasks = new ArrayList<>();
        List<CandidateResult> cached = new ArrayList<>();
        for (SearchProposal proposal : proposals) {
            String candidateId = proposal.candidateId();
            boolean unsupportedCombination = proposal.kind() == TaskKind.EVALUATE
                    && unsupported.contains(SearchState.combinationOf(proposal.config()));
            if (!known.add(proposal.kind() + "/" + candidateId) || unsupportedCombination) {
                continue;
            }
            List<String> problems = CandidateRules.problems(proposal.config(), request.facts());
            if (!problems.isEmpty()) {
                LOG.warn("Strategy {} proposed candidate {} that does not fit the model, dropped: {}",
                        strategy.name(), candidateId, problems);
                continue;
            }
            SearchTask task = task(request, state.round(), proposal);
            Optional<Evaluation> hit = cachedEvaluation(request, proposal);
            if (hit.isPresent()) {
                cached.add(CandidateResult.of(task, hit.get(), true));
            } else if (tasks.size() < state.remainingTrials()) {
                tasks.add(task);
            }
        }
        if (tasks.isEmpty() && cached.isEmpty()) {
            return RoundPlan.stop(state.round(), StopReason.STRATEGY_DONE);
        }
        tasks.sort(Comparator.comparing(SearchTask::taskId));
        cached.sort(Comparator.comparing(CandidateResult::taskId));
        return new RoundPlan(state.round(), tasks, cached, null);
    }

    private static SearchTask task(SearchRequest request, int round, SearchProposal proposal) {
        String candidateId = proposal.candidateId();
        return new SearchTask(SearchIds.taskId(request.requestId(), round, proposal.kind(), candidateId),
                request.requestId(), round, proposal.kind(), candidateId, proposal.config(),
                SearchIds.seed(request.seed(), candidateId), request.inputs(), proposal.nodes(),
                proposal.sensitivityMode(), proposal.baseCandidateId(), proposal.label());
    }

    private static SearchTask floatModelTask(SearchRequest request, TaskKind kind) {
        String id = SearchIds.FLOAT_MODEL_ID;
        return new SearchTask(SearchIds.taskId(request.requestId(), 0, kind, id), request.requestId(), 0, kind, id,
                null, SearchIds.seed(request.seed(), id), request.inputs(), List.of(), null, null, null);
    }

    private boolean isCached(SearchRequest request, SearchProposal proposal) {
        return cachedEvaluation(request, proposal).isPresent();
    }

    private Optional<Evaluation> cachedEvaluation(SearchRequest request, SearchProposal proposal) {
        if (proposal.kind() != TaskKind.SENSITIVITY || cache == null) {
            return Optional.empty();
        }
        return cache.find(SensitivityCache.key(request.inputs(), proposal.baseCandidateId(),
                request.goal().metric(), proposal.sensitivityMode(), proposal.nodes()));
    }

    private static List<CandidateResult> sortedByTaskId(Collection<CandidateResult> results) {
        List<CandidateResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(CandidateResult::taskId));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).taskId().equals(sorted.get(i - 1).taskId())) {
                throw new IllegalArgumentException("Task " + sorted.get(i).taskId() + " has two results; pass one"
                        + " result per task id, e.g. the first one stored");
            }
        }
        return sorted;
    }

    private static Evaluation baselineOf(SearchRequest request, List<CandidateResult> sorted) {
        String taskId = SearchIds.taskId(request.requestId(), 0, TaskKind.BASELINE, SearchIds.FLOAT_MODEL_ID);
        return sorted.stream().filter(result -> result.taskId().equals(taskId)).findFirst()
                .map(CandidateResult::evaluation)
                .orElseThrow(() -> new IllegalArgumentException("The results of search " + request.requestId()
                        + " lack task " + taskId + "; run the tasks of firstRound and pass their results"));
    }

    /** Returns why no candidate can be judged against {@code baseline}, or null when one can. */
    private static String baselineProblem(SearchRequest request, Evaluation baseline) {
        if (baseline.status() != EvaluationStatus.OK) {
            return "the float model failed: " + baseline.reason();
        }
        if (!baseline.metrics().containsKey(request.goal().metric())) {
            return "the float model has no metric '" + request.goal().metric() + "'; it has "
                    + baseline.metrics().keySet();
        }
        return null;
    }

    private static boolean deadlinePassed(SearchRequest request, Duration elapsed) {
        Duration deadline = request.budget().deadline();
        return deadline != null && elapsed.compareTo(deadline) >= 0;
    }
}
