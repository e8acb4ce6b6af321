package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs a whole search in this process, with a pool of threads calling a {@link TaskExecutor}.
 *
 * <p>Rounds are barriers: round 0 runs BASELINE and CALIBRATE; each later round runs the tasks
 * the strategy proposed and ends when all of them have finished. The strategy then receives all
 * results sorted by task id, so the outcome is the same for any thread count and completion
 * order. Before a round, the runner drops proposals whose candidate was already evaluated
 * (or probed), whose format and types came back UNSUPPORTED, or that break {@link CandidateRules};
 * takes SENSITIVITY results from the {@link SensitivityCache} when it holds them (no trial);
 * and cuts the rest to the trials left.
 *
 * <p>The search stops when the strategy proposes nothing new, the trials are spent, the first
 * acceptable candidate was found and the budget says to stop there, the float model failed, or
 * the deadline passed. A task that has not started when the deadline passes is recorded as
 * FAILED "deadline passed" and no round starts after it; running tasks finish. NOTE: with a
 * deadline, which tasks ran (and so the outcome) depends on timing and thread count.
 */
public final class InProcessSearch {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessSearch.class);

    static final String DEADLINE_PASSED = "deadline passed";

    private final TaskExecutor executor;
    private final int threads;
    private final SensitivityCache cache;
    private final SearchProgressListener listener;
    private final LongSupplier nanoClock;

    public InProcessSearch(TaskExecutor executor, int threads) {
        this(executor, threads, null, SearchProgressListener.NONE, System::nanoTime);
    }

    /**
     * @param cache     sensitivity cache, or null for none
     * @param nanoClock monotonic time in nanoseconds, {@code System::nanoTime} outside tests
     */
    public InProcessSearch(TaskExecutor executor, int threads, SensitivityCache cache, SearchProgressListener listener,
                           LongSupplier nanoClock) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; it must be 1 or more");
        }
        this.executor = executor;
        this.threads = threads;
        this.cache = cache;
        this.listener = listener == null ? SearchProgressListener.NONE : listener;
        this.nanoClock = nanoClock;
    }

    public SearchOutcome run(SearchRequest request) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return new Run(request, pool).execute();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The state of one search. */
    private final class Run {
        private final SearchRequest request;
        private final ExecutorService pool;
        private final long startNanos = nanoClock.getAsLong();
        private final SearchStrategy strategy;
        private final List<CandidateResult> results = new ArrayList<>();
        private final Set<String> unsupportedCombinations = new HashSet<>();
        private Evaluation baseline;
        private int trials;

        Run(SearchRequest request, ExecutorService pool) {
            this.request = request;
            this.pool = pool;
            this.strategy = SearchStrategies.create(request.strategy());
        }

        SearchOutcome execute() {
            LOG.info("Search {} starts: strategy {}, seed {}, at most {} trials", request.requestId(),
                    strategy.name(), request.seed(), request.budget().maxTrials());
            runRound(0, List.of(floatModelTask(TaskKind.BASELINE), floatModelTask(TaskKind.CALIBRATE)), Map.of());
            baseline = results.get(0).evaluation();
            boolean usable = baselineUsable();
            StopReason stop = usable ? proposeRounds() : StopReason.BASELINE_FAILED;
            return outcome(stop, usable);
        }

        private StopReason proposeRounds() {
            for (int round = 1; ; round++) {
                if (deadlinePassed()) {
                    return StopReason.DEADLINE;
                }
                CandidateRanking ranking = new CandidateRanking(request.goal(), baseline);
                if (request.budget().stopAtFirstAcceptable() && results.stream().anyMatch(ranking::acceptable)) {
                    return StopReason.FIRST_ACCEPTABLE;
                }
                int remaining = request.budget().maxTrials() - trials;
                if (remaining <= 0) {
                    return StopReason.MAX_TRIALS;
                }
                SearchState state = new SearchState(request, round, results, baseline, remaining,
                        unsupportedCombinations, this::isCached);
                List<SearchProposal> proposals = strategy.propose(state);
                Map<String, String> labels = new HashMap<>();
                List<SearchTask> tasks = admit(round, proposals, remaining, labels);
                if (tasks.isEmpty() && results.size() == state.results().size()) {
                    return StopReason.STRATEGY_DONE;
                }
                trials += tasks.size();
                runRound(round, tasks, labels);
            }
        }

        private boolean baselineUsable() {
            if (baseline.status() != EvaluationStatus.OK) {
                LOG.warn("Search {} stops: the float model failed: {}", request.requestId(), baseline.reason());
                return false;
            }
            if (!baseline.metrics().containsKey(request.goal().metric())) {
                LOG.warn("Search {} stops: the float model has no metric '{}'; it has {}", request.requestId(),
                        request.goal().metric(), baseline.metrics().keySet());
                return false;
            }
            return true;
        }

        /** Turns proposals into tasks; adds cached probes to the results directly. */
        private List<SearchTask> admit(int round, List<SearchProposal> proposals, int remaining,
                                       Map<String, String> labels) {
            Set<String> known = new HashSet<>();
            results.forEach(result -> known.add(result.kind() + "/" + result.candidateId()));
            List<SearchTask> tasks = new ArrayList<>();
            List<CandidateResult> cached = new ArrayList<>();
            for (SearchProposal proposal : proposals) {
                String candidateId = proposal.candidateId();
                if (!known.add(proposal.kind() + "/" + candidateId) || unsupported(proposal)) {
                    continue;
                }
                List<String> problems = CandidateRules.problems(proposal.config(), request.facts());
                if (!problems.isEmpty()) {
                    LOG.warn("Strategy {} proposed candidate {} that does not fit the model, dropped: {}",
                            strategy.name(), candidateId, problems);
                    continue;
                }
                SearchTask task = new SearchTask(SearchIds.taskId(request.requestId(), round, proposal.kind(), candidateId),
                        request.requestId(), round, proposal.kind(), candidateId, proposal.config(),
                        SearchIds.seed(request.seed(), candidateId), request.inputs(), proposal.nodes(),
                        proposal.sensitivityMode(), proposal.baseCandidateId());
                Optional<Evaluation> hit = proposal.kind() == TaskKind.SENSITIVITY && cache != null
                        ? cache.find(cacheKey(proposal)) : Optional.empty();
                if (hit.isPresent()) {
                    cached.add(CandidateResult.of(task, proposal.label(), hit.get(), true));
                } else if (tasks.size() < remaining) {
                    tasks.add(task);
                    labels.put(task.taskId(), proposal.label());
                }
            }
            addResults(cached);
            return tasks;
        }

        private boolean unsupported(SearchProposal proposal) {
            return proposal.kind() == TaskKind.EVALUATE
                    && unsupportedCombinations.contains(SearchState.combinationOf(proposal.config()));
        }

        private boolean isCached(SearchProposal proposal) {
            return proposal.kind() == TaskKind.SENSITIVITY && cache != null
                    && cache.find(cacheKey(proposal)).isPresent();
        }

        private String cacheKey(SearchProposal proposal) {
            return SensitivityCache.key(request.inputs(), proposal.baseCandidateId(), request.goal().metric(),
                    proposal.sensitivityMode(), proposal.nodes());
        }

        private SearchTask floatModelTask(TaskKind kind) {
            String id = SearchIds.FLOAT_MODEL_ID;
            return new SearchTask(SearchIds.taskId(request.requestId(), 0, kind, id), request.requestId(), 0, kind, id,
                    null, SearchIds.seed(request.seed(), id), request.inputs(), List.of(), null, null);
        }

        private void runRound(int round, List<SearchTask> tasks, Map<String, String> labels) {
            List<SearchTask> sorted = tasks.stream().sorted(Comparator.comparing(SearchTask::taskId)).toList();
            CandidateRanking ranking = round == 0 ? null : new CandidateRanking(request.goal(), baseline);
            Optional<CandidateResult> best = ranking == null ? Optional.empty() : ranking.best(results);
            boolean bestAcceptable = best.isPresent() && ranking.acceptable(best.get());
            AtomicInteger done = new AtomicInteger();
            List<Future<Evaluation>> futures = new ArrayList<>();
            for (SearchTask task : sorted) {
                futures.add(pool.submit(() -> {
                    Evaluation evaluation = executeBeforeDeadline(task);
                    listener.onProgress(new SearchProgress(round, done.incrementAndGet(), sorted.size(),
                            best.map(CandidateResult::candidateId).orElse(null), bestAcceptable, false));
                    return evaluation;
                }));
            }
            List<CandidateResult> finished = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                SearchTask task = sorted.get(i);
                finished.add(CandidateResult.of(task, labels.get(task.taskId()), await(futures.get(i)), false));
            }
            finished.forEach(this::storeInCache);
            addResults(finished);
            reportRoundComplete(round, sorted.size());
        }

        private void reportRoundComplete(int round, int taskCount) {
            if (round == 0) {
                listener.onProgress(new SearchProgress(round, taskCount, taskCount, null, false, true));
                return;
            }
            CandidateRanking ranking = new CandidateRanking(request.goal(), baseline);
            Optional<CandidateResult> best = ranking.best(results);
            listener.onProgress(new SearchProgress(round, taskCount, taskCount,
                    best.map(CandidateResult::candidateId).orElse(null),
                    best.isPresent() && ranking.acceptable(best.get()), true));
        }

        private Evaluation executeBeforeDeadline(SearchTask task) {
            if (deadlinePassed()) {
                return Evaluation.failed(DEADLINE_PASSED);
            }
            try {
                return executor.execute(task);
            } catch (RuntimeException e) {
                LOG.warn("Task {} failed", task.taskId(), e);
                return Evaluation.failed(e.toString());
            }
        }

        private Evaluation await(Future<Evaluation> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Search " + request.requestId() + " was interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A task of search " + request.requestId() + " failed", e.getCause());
            }
        }

        private void storeInCache(CandidateResult result) {
            if (cache == null || result.kind() != TaskKind.SENSITIVITY
                    || result.evaluation().status() != EvaluationStatus.OK) {
                return;
            }
            String metric = request.goal().metric();
            String key = SensitivityCache.key(request.inputs(), result.baseCandidateId(), metric,
                    result.sensitivityMode(), result.nodes());
            cache.store(new SensitivityCache.Entry(key, request.inputs().modelSha256(), request.inputs().dataSha256(),
                    result.baseCandidateId(), metric, result.sensitivityMode(), result.nodes(), result.evaluation()));
        }

        private void addResults(List<CandidateResult> added) {
            for (CandidateResult result : added) {
                results.add(result);
                if (result.kind() == TaskKind.EVALUATE && result.evaluation().status() == EvaluationStatus.UNSUPPORTED) {
                    unsupportedCombinations.add(SearchState.combinationOf(result.config()));
                }
            }
            results.sort(Comparator.comparing(CandidateResult::taskId));
        }

        private boolean deadlinePassed() {
            return request.budget().deadline() != null
                    && nanoClock.getAsLong() - startNanos >= request.budget().deadline().toNanos();
        }

        private SearchOutcome outcome(StopReason stop, boolean baselineUsable) {
            CandidateRanking ranking = new CandidateRanking(request.goal(), baseline);
            CandidateResult winner = baselineUsable ? ranking.best(results).orElse(null) : null;
            boolean acceptable = winner != null && ranking.acceptable(winner);
            SortedMap<String, Double> sensitivity = baselineUsable
                    ? Sensitivities.of(results, request.goal(), baseline, null) : new TreeMap<>();
            List<String> front = winner == null ? List.of() : ranking.paretoFront(results);
            long wallTimeMs = (nanoClock.getAsLong() - startNanos) / 1_000_000;
            LOG.info("Search {} stopped ({}) after {} trials in {} ms: winner {}, acceptable {}", request.requestId(),
                    stop, trials, wallTimeMs, winner == null ? "none" : winner.candidateId(), acceptable);
            return new SearchOutcome(request.requestId(), strategy.name(), request.seed(), winner, acceptable, baseline,
                    results, sensitivity, front, trials, stop, wallTimeMs);
        }
    }
}
