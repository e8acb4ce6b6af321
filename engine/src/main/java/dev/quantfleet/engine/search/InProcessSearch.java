package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs a whole search in this process, with a pool of threads calling a {@link TaskExecutor}.
 *
 * <p>{@link SearchDriver} plans every round; this class runs the round's tasks on the pool, waits
 * for all of them (a barrier), stores the sensitivity probes in the cache, reports progress and
 * measures the time against the deadline. Because the driver plans from all results sorted by
 * task id, the outcome is the same for any thread count and completion order. See
 * {@link SearchDriver} for the admission rules and when the search stops.
 *
 * <p>A task that has not started when the deadline passes is recorded as FAILED "deadline passed"
 * and no round starts after it; running tasks finish. NOTE: with a deadline, which tasks ran (and
 * so the outcome) depends on timing and thread count.
 */
public final class InProcessSearch {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessSearch.class);

    static final String DEADLINE_PASSED = "deadline passed";

    private final TaskExecutor executor;
    private final int threads;
    private final SensitivityCache cache;
    private final SearchProgressListener listener;
    private final LongSupplier nanoClock;
    private final SearchDriver driver;

    public InProcessSearch(TaskExecutor executor, int threads) {
        this(executor, threads, null, SearchProgressListener.NONE, System::nanoTime);
    }

    /**
     * @param cache     sensitivity cache, or null for none
     * @param nanoClock monotonic time in nanoseconds, {@code System::nanoTime} outside tests
     */
    public InProcessSearch(TaskExecutor executor, int threads, SensitivityCache cache, SearchProgressListener listener,
                           LongSupplier nanoClock) {
        this(executor, threads, cache, listener, nanoClock, new SearchDriver(cache));
    }

    InProcessSearch(TaskExecutor executor, int threads, SensitivityCache cache, SearchProgressListener listener,
                    LongSupplier nanoClock, SearchDriver driver) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; it must be 1 or more");
        }
        this.executor = executor;
        this.threads = threads;
        this.cache = cache;
        this.listener = listener == null ? SearchProgressListener.NONE : listener;
        this.nanoClock = nanoClock;
        this.driver = driver;
    }

    public SearchOutcome run(SearchRequest request) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return new Run(request, pool).execute();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The results and clock of one search. */
    private final class Run {
        private final SearchRequest request;
        private final ExecutorService pool;
        private final long startNanos = nanoClock.getAsLong();
        private final List<CandidateResult> results = new ArrayList<>();

        Run(SearchRequest request, ExecutorService pool) {
            this.request = request;
            this.pool = pool;
        }

        SearchOutcome execute() {
            LOG.info("Search {} starts: strategy {}, seed {}, at most {} trials", request.requestId(),
                    request.strategy(), request.seed(), request.budget().maxTrials());
            runRound(0, driver.firstRound(request));
            RoundPlan plan = driver.nextRound(request, results, elapsed());
            while (!plan.stops()) {
                addResults(plan.cachedResults());
                runRound(plan.round(), plan.tasks());
                plan = driver.nextRound(request, results, elapsed());
            }
            SearchOutcome outcome = driver.outcome(request, results, plan.stopReason(), elapsed());
            LOG.info("Search {} stopped ({}) after {} trials in {} ms: winner {}, acceptable {}", request.requestId(),
                    outcome.stopReason(), outcome.trials(), outcome.wallTimeMs(),
                    outcome.winner() == null ? "none" : outcome.winner().candidateId(), outcome.acceptable());
            return outcome;
        }

        private void runRound(int round, List<SearchTask> tasks) {
            List<SearchTask> sorted = tasks.stream().sorted(Comparator.comparing(SearchTask::taskId)).toList();
            CandidateRanking ranking = round == 0 ? null : ranking();
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
                finished.add(CandidateResult.of(sorted.get(i), await(futures.get(i))));
            }
            if (cache != null) {
                finished.forEach(result -> cache.storeProbe(request, result));
            }
            addResults(finished);
            reportRoundComplete(round, sorted.size());
        }

        private void reportRoundComplete(int round, int taskCount) {
            if (round == 0) {
                listener.onProgress(new SearchProgress(round, taskCount, taskCount, null, false, true));
                return;
            }
            CandidateRanking ranking = ranking();
            Optional<CandidateResult> best = ranking.best(results);
            listener.onProgress(new SearchProgress(round, taskCount, taskCount,
                    best.map(CandidateResult::candidateId).orElse(null),
                    best.isPresent() && ranking.acceptable(best.get()), true));
        }

        /** Returns the ranking against the float model, whose result sorts first. */
        private CandidateRanking ranking() {
            return new CandidateRanking(request.goal(), results.get(0).evaluation());
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

        private void addResults(List<CandidateResult> added) {
            results.addAll(added);
            results.sort(Comparator.comparing(CandidateResult::taskId));
        }

        private Duration elapsed() {
            return Duration.ofNanos(nanoClock.getAsLong() - startNanos);
        }

        private boolean deadlinePassed() {
            Duration deadline = request.budget().deadline();
            return deadline != null && elapsed().compareTo(deadline) >= 0;
        }
    }
}
