package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.OutcomeWinner;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.RoundTaskStatus;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.coordinator.intake.AcceptedRequest;
import dev.quantfleet.coordinator.intake.IntakeDecision;
import dev.quantfleet.coordinator.intake.RequestValidator;
import dev.quantfleet.coordinator.mapping.ResultMapping;
import dev.quantfleet.coordinator.mapping.RoundArtifacts;
import dev.quantfleet.coordinator.mapping.TaskMapping;
import dev.quantfleet.coordinator.promotion.PromotedArtifacts;
import dev.quantfleet.coordinator.promotion.WinnerPromotion;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.RoundPlan;
import dev.quantfleet.engine.search.SearchDriver;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.SearchRequest;
import dev.quantfleet.engine.search.SearchTask;
import dev.quantfleet.engine.search.StopReason;
import dev.quantfleet.engine.search.TaskKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Runs searches over the fleet: validates requests, plans rounds with the engine's
 * {@link SearchDriver}, sends them through a {@link FleetPublisher}, collects the task results,
 * and on each closed round plans the next one or finishes the search (promotion and outcome).
 *
 * <pre>
 *   request ─ validate ─┬─ bad ─ SearchOutcome REJECTED
 *                       └─ ok ─ firstRound ─ RoundOpened + tasks
 *   RoundCompleted(r) + every result of r ─ nextRound ─┬─ RoundOpened + tasks of r+1
 *                                                      └─ stop ─ promote ─ SearchOutcome COMPLETED
 * </pre>
 *
 * <p>Results are kept per request and deduplicated by task id (the first one wins). A
 * RoundCompleted may arrive before the results it counts, since they come on another topic, so a
 * round closes only when every task that the aggregator did not count as TIMED_OUT has its result.
 * A task without a result in a closed round counts as FAILED (timed out).
 *
 * <p>Not thread-safe: one thread calls every method.
 */
public final class SearchCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(SearchCoordinator.class);

    private final RequestValidator validator;
    private final SearchDriver driver;
    private final FleetPublisher publisher;
    private final WinnerPromotion promotion;
    private final SearchSettings settings;
    private final LongSupplier clockMs;
    private final SearchListener listener;
    private final Map<String, OpenSearch> open = new LinkedHashMap<>();
    private final Map<String, Map<String, TaskResult>> resultsByRequest = new HashMap<>();
    private final Set<String> finished = new HashSet<>();

    /** @param clockMs wall clock in epoch milliseconds, {@code System::currentTimeMillis} outside tests */
    public SearchCoordinator(RequestValidator validator, SearchDriver driver, FleetPublisher publisher,
                             WinnerPromotion promotion, SearchSettings settings, LongSupplier clockMs,
                             SearchListener listener) {
        this.validator = validator;
        this.driver = driver;
        this.publisher = publisher;
        this.promotion = promotion;
        this.settings = settings;
        this.clockMs = clockMs;
        this.listener = listener == null ? SearchListener.NONE : listener;
    }

    /** Returns the ids of the searches that run now. */
    public Set<String> openRequestIds() {
        return Set.copyOf(open.keySet());
    }

    /**
     * Validates {@code request} and starts its search, or sends its rejection. A request whose id
     * is running or finished is ignored.
     *
     * @param receivedAtMs when the request arrived; the search's wall time and deadline count from it
     */
    public void onRequest(QuantizationRequest request, long receivedAtMs) {
        String requestId = request.requestId();
        if (open.containsKey(requestId) || finished.contains(requestId)) {
            LOG.warn("Request {} arrived again; it is already {}, so the copy is ignored", requestId,
                    open.containsKey(requestId) ? "running" : "finished");
            return;
        }
        listener.onReceived(requestId, receivedAtMs);
        IntakeDecision decision = validator.validate(request);
        if (!decision.isAccepted()) {
            reject(requestId, decision.reasons());
            return;
        }
        OpenSearch search = new OpenSearch(decision.accepted(), receivedAtMs);
        open.put(requestId, search);
        listener.onStarted(requestId);
        LOG.info("Request {} accepted: model {} {}, strategy {}, at most {} trials, pool {}", requestId,
                request.model().name(), request.model().version(), request.strategy(),
                request.budget().maxTrials(), request.pool());
        openRound(search, 0, driver.firstRound(search.accepted().search()));
    }

    /** Rejects a request whose payload is not a valid QuantizationRequest, naming the problem. */
    public void onMalformedRequest(String requestId, String problem) {
        if (open.containsKey(requestId) || finished.contains(requestId)) {
            LOG.warn("Malformed copy of request {} ignored, the request is already known: {}", requestId, problem);
            return;
        }
        listener.onReceived(requestId, clockMs.getAsLong());
        reject(requestId, List.of("The request is not a valid QuantizationRequest: " + problem
                + "; fix the payload and send it again with a new request id"));
    }

    /** Stores a task result (the first per task id) and closes its round when it was waiting for it. */
    public void onResult(TaskResult result) {
        String requestId = result.requestId();
        if (finished.contains(requestId)) {
            return;
        }
        TaskResult earlier = resultsByRequest.computeIfAbsent(requestId, id -> new HashMap<>())
                .putIfAbsent(result.taskId(), result);
        if (earlier != null) {
            LOG.debug("Duplicate result of task {} (attempt {}) ignored", result.taskId(), result.attempt());
            return;
        }
        listener.onResult(result);
        OpenSearch search = open.get(requestId);
        if (search != null && isFailedBaseline(result)) {
            // The search stops at BASELINE_FAILED once the round closes anyway, but the round also waits
            // for its CALIBRATE task, which can take much longer on a large model: reject now.
            rejectFailedBaseline(search, result.evaluation().reason());
            return;
        }
        if (search != null && search.pendingClose() != null) {
            tryClose(search);
        }
    }

    private static boolean isFailedBaseline(TaskResult result) {
        return result.kind() == TaskKind.BASELINE && result.status() != EvaluationStatus.OK;
    }

    /** Rejects the request, because nothing can be compared with a float model that failed. */
    private void rejectFailedBaseline(OpenSearch search, String reason) {
        String problem = reason == null ? "no reason given" : WorkerPaths.withFileNamesOnly(reason);
        LOG.warn("Request {}: the float model could not be evaluated: {}", search.requestId(), problem);
        reject(search.requestId(), List.of("The float model could not be evaluated on the evaluation data, so no "
                + "candidate can be compared with it: " + problem));
    }

    /** Closes the round when its results are in, then plans the next round or finishes the search. */
    public void onRoundCompleted(RoundCompleted completed) {
        OpenSearch search = open.get(completed.requestId());
        if (search == null) {
            LOG.debug("RoundCompleted of request {} round {} ignored: the search is not running",
                    completed.requestId(), completed.round());
            return;
        }
        if (completed.round() != search.round()) {
            LOG.warn("RoundCompleted of request {} round {} ignored: round {} is open", completed.requestId(),
                    completed.round(), search.round());
            return;
        }
        search.pendingClose(completed);
        tryClose(search);
    }

    /** Marks {@code requestId} as finished because its outcome was already sent (seen when resuming). */
    public void onOutcomeSeen(String requestId) {
        finished.add(requestId);
        open.remove(requestId);
        resultsByRequest.remove(requestId);
    }

    /**
     * Continues a search that a previous coordinator process started. It validates the request
     * again and replays its rounds from the stored plans and results without sending anything.
     * Then it closes the last round if that round is complete, which plans the next round or
     * finishes the search. A request without any plan starts from the beginning.
     *
     * @param plans  the round plans sent for the request, in any order
     * @param closed the RoundCompleted records of the request, in any order
     */
    public void resume(QuantizationRequest request, long receivedAtMs, Collection<RoundOpened> plans,
                       Collection<RoundCompleted> closed) {
        if (plans.isEmpty()) {
            onRequest(request, receivedAtMs);
            return;
        }
        String requestId = request.requestId();
        IntakeDecision decision = validator.validate(request);
        if (!decision.isAccepted()) {
            reject(requestId, decision.reasons());
            return;
        }
        Map<Integer, RoundOpened> planByRound = new HashMap<>();
        plans.forEach(plan -> planByRound.put(plan.round(), plan));
        Map<Integer, RoundCompleted> closedByRound = new HashMap<>();
        closed.forEach(round -> closedByRound.putIfAbsent(round.round(), round));
        int lastRound = planByRound.keySet().stream().max(Integer::compare).orElseThrow();
        OpenSearch search = new OpenSearch(decision.accepted(), receivedAtMs);
        open.put(requestId, search);
        listener.onReceived(requestId, receivedAtMs);
        listener.onStarted(requestId);
        replayRounds(search, planByRound, closedByRound, lastRound);
        LOG.info("Request {} resumed at round {}", requestId, search.round());
        RoundCompleted lastClose = closedByRound.get(search.round());
        if (lastClose != null) {
            onRoundCompleted(lastClose);
        }
    }

    private void replayRounds(OpenSearch search, Map<Integer, RoundOpened> plans,
                              Map<Integer, RoundCompleted> closed, int lastRound) {
        SearchRequest request = search.accepted().search();
        List<SearchTask> tasks = driver.firstRound(request);
        for (int round = 0; round <= lastRound; round++) {
            RoundOpened plan = plans.get(round);
            if (plan == null) {
                LOG.warn("Request {} has no plan of round {} but one of round {}; resuming at round {}",
                        search.requestId(), round, lastRound, round - 1);
                return;
            }
            search.open(round, tasksOf(plan, tasks, request));
            listener.onRoundOpened(plan);
            if (round == lastRound) {
                return;
            }
            closeRound(search, closed.get(round));
            RoundPlan next = driver.nextRound(request, search.closedResults(), Duration.ZERO);
            if (next.stops()) {
                LOG.warn("Request {}: replanning round {} stopped ({}), but a plan of it was sent; using the sent"
                        + " plan", search.requestId(), round + 1, next.stopReason());
                tasks = List.of();
            } else {
                search.closedResults().addAll(next.cachedResults());
                tasks = next.tasks();
            }
        }
    }

    /**
     * Returns the engine tasks of a sent plan: the replanned ones when their ids match the plan's,
     * and otherwise tasks rebuilt from the wire tasks, which lack the sensitivity labels.
     */
    private static List<SearchTask> tasksOf(RoundOpened plan, List<SearchTask> replanned, SearchRequest request) {
        Set<String> sentIds = new HashSet<>();
        plan.tasks().forEach(task -> sentIds.add(task.taskId()));
        Set<String> replannedIds = new HashSet<>();
        replanned.forEach(task -> replannedIds.add(task.taskId()));
        if (sentIds.equals(replannedIds)) {
            return replanned;
        }
        LOG.warn("Request {} round {}: the replanned tasks differ from the sent plan; using the sent tasks",
                plan.requestId(), plan.round());
        List<SearchTask> rebuilt = new ArrayList<>();
        for (Task task : plan.tasks()) {
            rebuilt.add(new SearchTask(task.taskId(), task.requestId(), task.round(), task.kind(), task.candidateId(),
                    task.config(), task.seed(), request.inputs(), task.nodes(), task.sensitivityMode(),
                    task.baseCandidateId()));
        }
        return rebuilt;
    }

    private void tryClose(OpenSearch search) {
        RoundCompleted completed = search.pendingClose();
        Map<String, TaskResult> results = resultsOf(search.requestId());
        for (SearchTask task : search.roundTasks().values()) {
            RoundTaskStatus status = completed.taskStatuses().get(task.taskId());
            boolean expectsResult = status != null && status != RoundTaskStatus.TIMED_OUT;
            if (expectsResult && !results.containsKey(task.taskId())) {
                LOG.debug("Round {} of request {} closed, waiting for the result of task {}", completed.round(),
                        search.requestId(), task.taskId());
                return;
            }
        }
        closeRound(search, completed);
        planNext(search);
    }

    /** Converts the round's results; a task without a result counts as timed out. */
    private void closeRound(OpenSearch search, RoundCompleted completed) {
        Map<String, TaskResult> results = resultsOf(search.requestId());
        List<CandidateResult> converted = new ArrayList<>();
        for (SearchTask task : search.roundTasks().values()) {
            TaskResult result = results.get(task.taskId());
            converted.add(result == null ? ResultMapping.timedOut(task) : ResultMapping.toCandidateResult(task, result));
        }
        converted.sort(Comparator.comparing(CandidateResult::taskId));
        search.closedResults().addAll(converted);
        if (search.round() == 0) {
            search.roundZero(RoundArtifacts.of(results.values()));
        }
        search.pendingClose(null);
        reportBest(search, completed == null ? search.round() : completed.round());
    }

    private void reportBest(OpenSearch search, int round) {
        SearchRequest request = search.accepted().search();
        if (round == 0) {
            listener.onRoundClosed(search.requestId(), round, request.goal().metric(), null, false, 0);
            return;
        }
        dev.quantfleet.engine.search.SearchOutcome sofar = driver.outcome(request, search.closedResults(),
                StopReason.STRATEGY_DONE, Duration.ZERO);
        listener.onRoundClosed(search.requestId(), round, request.goal().metric(), sofar.winner(),
                sofar.acceptable(), sofar.trials());
    }

    private void planNext(OpenSearch search) {
        SearchRequest request = search.accepted().search();
        while (true) {
            RoundPlan plan = driver.nextRound(request, search.closedResults(), elapsed(search));
            if (plan.stops()) {
                finish(search, plan.stopReason());
                return;
            }
            search.closedResults().addAll(plan.cachedResults());
            if (!plan.tasks().isEmpty()) {
                openRound(search, plan.round(), plan.tasks());
                return;
            }
        }
    }

    private void openRound(OpenSearch search, int round, List<SearchTask> tasks) {
        QuantizationRequest request = search.accepted().request();
        Long budgetDeadlineMs = request.budget().deadlineMs();
        Long taskDeadlineMs = budgetDeadlineMs == null ? null : search.startedAtMs() + budgetDeadlineMs;
        List<Task> wireTasks = tasks.stream()
                .sorted(Comparator.comparing(SearchTask::taskId))
                .map(task -> TaskMapping.toTask(task, request, search.roundZero(), taskDeadlineMs,
                        settings.taskSettings()))
                .toList();
        long roundDeadlineMs = clockMs.getAsLong() + settings.roundDeadlineMs();
        int maxAttempts = settings.maxAttempts();
        if (taskDeadlineMs != null && taskDeadlineMs <= roundDeadlineMs) {
            // Workers skip tasks past the search's deadline, so a retry after it would only wait: the
            // round closes at the search's deadline, with the tasks still open counted as timed out.
            roundDeadlineMs = taskDeadlineMs;
            maxAttempts = 1;
        }
        RoundOpened plan = RoundOpened.of(search.requestId(), round, wireTasks, roundDeadlineMs, maxAttempts);
        search.open(round, tasks);
        publisher.publishRound(plan);
        listener.onRoundOpened(plan);
        LOG.info("Request {} round {} opened with {} tasks", search.requestId(), round, wireTasks.size());
    }

    private void finish(OpenSearch search, StopReason stopReason) {
        SearchRequest request = search.accepted().search();
        AcceptedRequest accepted = search.accepted();
        dev.quantfleet.engine.search.SearchOutcome outcome = driver.outcome(request, search.closedResults(),
                stopReason, elapsed(search));
        if (stopReason == StopReason.BASELINE_FAILED) {
            // Nothing can be compared with the float model: usually the data, labels or metric do not fit it.
            rejectFailedBaseline(search, baselineProblem(outcome, request.goal().metric()));
            return;
        }
        Map<String, TaskResult> results = resultsOf(search.requestId());
        TaskResult winnerResult = outcome.winner() == null ? null : results.get(outcome.winner().taskId());
        ArtifactRef winnerModel = winnerResult == null ? null : winnerResult.artifacts().quantizedModel();
        if (outcome.winner() != null && winnerModel == null) {
            LOG.warn("Request {}: the winner {} has no uploaded quantized model; the outcome goes out without one",
                    search.requestId(), outcome.winner().candidateId());
        }
        PromotedArtifacts promoted = promotion.promote(accepted.request(), request, outcome, winnerModel,
                provenanceOf(search, winnerResult), workerCount(results.values()), accepted.opTypes());
        listener.onPromoted(search.requestId(), promoted);
        SearchOutcome wire = new SearchOutcome(WireMessage.CURRENT_SCHEMA_VERSION, search.requestId(),
                OutcomeStatus.COMPLETED, List.of(), outcome.acceptable(), winnerOf(outcome.winner()),
                outcome.paretoFront(), promoted.model(), promoted.reportJson(), outcome.stopReason(), outcome.trials(),
                outcome.wallTimeMs());
        publishOutcome(wire);
        LOG.info("Request {} completed ({}) after {} trials in {} ms: winner {}, acceptable {}", search.requestId(),
                stopReason, outcome.trials(), outcome.wallTimeMs(),
                outcome.winner() == null ? "none" : outcome.winner().candidateId(), outcome.acceptable());
    }

    /** Returns why the float model's evaluation is unusable, as {@link SearchDriver} decides it. */
    private static String baselineProblem(dev.quantfleet.engine.search.SearchOutcome outcome, String metric) {
        if (outcome.baseline() == null) {
            return "no result";
        }
        if (outcome.baseline().status() == EvaluationStatus.OK) {
            return "its evaluation has no metric '" + metric + "'; it has " + outcome.baseline().metrics().keySet();
        }
        return outcome.baseline().reason();
    }

    private static OutcomeWinner winnerOf(CandidateResult winner) {
        if (winner == null) {
            return null;
        }
        return new OutcomeWinner(winner.candidateId(), winner.config(), winner.evaluation().metrics(),
                winner.evaluation().cost());
    }

    /** Returns the provenance of the winner's worker, else of the float model's, else one of unknown software. */
    private Provenance provenanceOf(OpenSearch search, TaskResult winnerResult) {
        if (winnerResult != null && winnerResult.provenance() != null) {
            return winnerResult.provenance();
        }
        String baselineId = SearchIds.taskId(search.requestId(), 0, TaskKind.BASELINE, SearchIds.FLOAT_MODEL_ID);
        TaskResult baseline = resultsOf(search.requestId()).get(baselineId);
        if (baseline != null && baseline.provenance() != null) {
            return baseline.provenance();
        }
        return new Provenance("unknown", "unknown", OrtSessions.CPU_EXECUTION_PROVIDER,
                settings.taskSettings().threads(), "unknown");
    }

    /** Returns how many workers returned an OK result: the tasks that could run at the same time. */
    private static int workerCount(Collection<TaskResult> results) {
        long workers = results.stream().filter(result -> result.status() == EvaluationStatus.OK)
                .map(TaskResult::workerId).distinct().count();
        return (int) Math.max(1, workers);
    }

    /** Sends the rejection of {@code requestId}; its search, if one runs, ends. */
    public void reject(String requestId, List<String> reasons) {
        LOG.info("Request {} rejected: {}", requestId, reasons);
        publishOutcome(SearchOutcome.rejected(requestId, reasons));
    }

    private void publishOutcome(SearchOutcome outcome) {
        publisher.publishOutcome(outcome);
        onOutcomeSeen(outcome.requestId());
        listener.onOutcome(outcome);
    }

    private Map<String, TaskResult> resultsOf(String requestId) {
        return resultsByRequest.computeIfAbsent(requestId, id -> new HashMap<>());
    }

    private Duration elapsed(OpenSearch search) {
        return Duration.ofMillis(Math.max(0, clockMs.getAsLong() - search.startedAtMs()));
    }
}
