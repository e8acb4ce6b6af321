package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireMessage;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins round plans and task results by request id in the store
 * {@value AggregatorTopology#ROUND_STATE_STORE}, closes each round once (the stored state is
 * marked closed in the same step that sends its {@code RoundCompleted}), and deletes the state of
 * finished requests.
 *
 * <ul>
 *   <li>A plan of a newer round than the stored one replaces it; a plan of the stored round or an
 *       older one is a redelivery or stale, and is dropped.</li>
 *   <li>A result counts when it is the first final result of a task of the open round
 *       ({@link RoundState#recordResult}); all others are dropped and counted.</li>
 *   <li>When every task has a final status, a {@code RoundCompleted} goes to
 *       {@value AggregatorTopology#ROUNDS_SINK}.</li>
 *   <li>A wall-clock punctuator checks the deadlines: overdue tasks go to
 *       {@value AggregatorTopology#TASK_RETRIES_SINK} at their next attempt, or time out after the
 *       last one, which closes the round with {@code deadlineReached}.</li>
 *   <li>A {@code SearchOutcome} deletes the request's round state and stores a marker of the finished
 *       request in {@value AggregatorTopology#FINISHED_STORE}. Plans and results of a marked request
 *       are dropped and counted, so late records neither reopen a round nor re-send its tasks.</li>
 *   <li>The same punctuator deletes closed rounds and markers older than the state retention, so
 *       the stores hold only open rounds, rounds closed within the retention and requests finished
 *       within it. A request whose coordinator never sends an outcome loses its closed round after
 *       the retention too; its next plan opens a new state.</li>
 * </ul>
 *
 * <p>Under exactly_once_v2 the store update and the records sent for one input record or one
 * punctuation commit together, which is what keeps a round from closing twice.
 *
 * <p>NOTE: a plan of a request whose marker or closed round the retention already deleted opens a
 * round again. The coordinator sends every plan before the outcome, so only a plan processed more
 * than the retention late can do that. With the default of one hour this is not expected.
 */
final class RoundAggregator implements Processor<String, WireMessage, String, WireMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(RoundAggregator.class);

    private final AggregatorConfig config;
    private final AggregatorCounters counters;
    private ProcessorContext<String, WireMessage> context;
    private KeyValueStore<String, RoundState> rounds;
    private KeyValueStore<String, Long> finished;

    RoundAggregator(AggregatorConfig config, AggregatorCounters counters) {
        this.config = config;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, WireMessage> context) {
        this.context = context;
        this.rounds = context.getStateStore(AggregatorTopology.ROUND_STATE_STORE);
        this.finished = context.getStateStore(AggregatorTopology.FINISHED_STORE);
        context.schedule(config.deadlineCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, WireMessage> record) {
        if (record.value() instanceof RoundOpened plan) {
            openRound(plan, record.timestamp());
        } else if (record.value() instanceof TaskResult result) {
            recordResult(result);
        } else if (record.value() instanceof SearchOutcome outcome) {
            finishRequest(outcome);
        } else {
            throw new IllegalStateException("The aggregator reads RoundOpened, TaskResult and SearchOutcome, but got a "
                    + record.value().getClass().getName());
        }
    }

    private void openRound(RoundOpened plan, long sentAtMs) {
        if (finished.get(plan.requestId()) != null) {
            counters.countIgnoredPlan();
            LOG.info("Ignored the plan of round {} of request {}: the request already has its outcome", plan.round(),
                    plan.requestId());
            return;
        }
        RoundState current = rounds.get(plan.requestId());
        if (current != null && plan.round() <= current.round()) {
            counters.countIgnoredPlan();
            LOG.info("Ignored the plan of round {} of request {}: round {} is already {}", plan.round(),
                    plan.requestId(), current.round(), current.closed() ? "closed" : "open");
            return;
        }
        if (current != null && !current.closed()) {
            LOG.warn("Round {} of request {} replaces round {}, which had tasks without results {}", plan.round(),
                    plan.requestId(), current.round(), current.pendingTaskIds());
        }
        long retryTimeoutMs = retryTimeoutMs(plan, sentAtMs);
        rounds.put(plan.requestId(), RoundState.open(plan, retryTimeoutMs));
        LOG.info("Opened round {} of request {} with {} tasks, deadline {}, {} attempts, retry timeout {} ms",
                plan.round(), plan.requestId(), plan.tasks().size(), plan.deadlineMs(), plan.maxAttempts(),
                retryTimeoutMs);
    }

    /**
     * Returns the configured retry timeout, or else the round's duration: its deadline minus the
     * time the plan was sent, but at least one deadline check interval.
     */
    private long retryTimeoutMs(RoundOpened plan, long sentAtMs) {
        long minimumMs = config.deadlineCheckInterval().toMillis();
        return config.retryTimeout()
                .map(timeout -> timeout.toMillis())
                .orElseGet(() -> Math.max(plan.deadlineMs() - sentAtMs, minimumMs));
    }

    private void recordResult(TaskResult result) {
        RoundState state = rounds.get(result.requestId());
        ResultVerdict verdict;
        if (state != null) {
            verdict = state.recordResult(result);
        } else if (finished.get(result.requestId()) != null) {
            verdict = ResultVerdict.REQUEST_FINISHED;
        } else {
            verdict = ResultVerdict.NO_PLAN;
        }
        if (verdict != ResultVerdict.ACCEPTED) {
            counters.countIgnoredResult();
            LOG.info("Ignored the result of task {} (attempt {}, worker {}): {}", result.taskId(), result.attempt(),
                    result.workerId(), verdict);
            return;
        }
        if (state.isComplete()) {
            sendRoundCompleted(state, context.currentSystemTimeMs());
        }
        rounds.put(result.requestId(), state);
    }

    /**
     * Deletes the round state of the finished request and marks it finished at the current wall-clock
     * time. A round still open loses its pending tasks: they are neither re-sent nor timed out.
     */
    private void finishRequest(SearchOutcome outcome) {
        String requestId = outcome.requestId();
        RoundState state = rounds.get(requestId);
        if (state != null) {
            rounds.delete(requestId);
            counters.countDeletedRoundState();
        }
        finished.put(requestId, context.currentSystemTimeMs());
        LOG.info("Request {} ended {}: deleted its state{}", requestId, outcome.status(), state == null ? ""
                : " of round " + state.round() + (state.closed() ? "" : ", which had tasks without results "
                + state.pendingTaskIds()));
    }

    /** Handles passed deadlines, then deletes the closed rounds and finished markers past the retention. */
    private void onWallClock(long nowMs) {
        List<KeyValue<String, RoundState>> overdue = new ArrayList<>();
        List<String> expiredRounds = new ArrayList<>();
        long retentionMs = config.stateRetention().toMillis();
        try (KeyValueIterator<String, RoundState> iterator = rounds.all()) {
            iterator.forEachRemaining(entry -> {
                if (entry.value.isOverdue(nowMs)) {
                    overdue.add(entry);
                } else if (entry.value.isExpired(nowMs, retentionMs)) {
                    expiredRounds.add(entry.key);
                }
            });
        }
        for (KeyValue<String, RoundState> entry : overdue) {
            expire(entry.key, entry.value, nowMs);
        }
        for (String requestId : expiredRounds) {
            rounds.delete(requestId);
            counters.countDeletedRoundState();
            LOG.info("Deleted the closed round of request {}: no plan or outcome came within {}", requestId,
                    config.stateRetention());
        }
        deleteExpiredMarkers(nowMs, retentionMs);
    }

    private void deleteExpiredMarkers(long nowMs, long retentionMs) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> iterator = finished.all()) {
            iterator.forEachRemaining(entry -> {
                if (nowMs - entry.value >= retentionMs) {
                    expired.add(entry.key);
                }
            });
        }
        for (String requestId : expired) {
            finished.delete(requestId);
            counters.countDeletedFinishedMarker();
        }
        if (!expired.isEmpty()) {
            LOG.debug("Deleted the markers of {} requests finished more than {} ago", expired.size(),
                    config.stateRetention());
        }
    }

    private void expire(String requestId, RoundState state, long nowMs) {
        int timedOutBefore = state.timedOutCount();
        List<Task> retries = state.expire(nowMs);
        for (Task task : retries) {
            context.forward(new Record<String, WireMessage>(task.taskId(), task, nowMs),
                    AggregatorTopology.TASK_RETRIES_SINK);
        }
        counters.countResentTasks(retries.size());
        int timedOut = state.timedOutCount() - timedOutBefore;
        counters.countTimedOutTasks(timedOut);
        LOG.warn("Deadline of round {} of request {} passed: re-sent {} tasks, {} timed out", state.round(),
                requestId, retries.size(), timedOut);
        if (state.isComplete()) {
            sendRoundCompleted(state, nowMs);
        }
        rounds.put(requestId, state);
    }

    private void sendRoundCompleted(RoundState state, long timestampMs) {
        RoundCompleted completed = state.close(timestampMs);
        context.forward(new Record<String, WireMessage>(completed.requestId(), completed, timestampMs),
                AggregatorTopology.ROUNDS_SINK);
        counters.countCompletedRound();
        LOG.info("Closed round {} of request {}: {}{}", completed.round(), completed.requestId(), completed.counts(),
                completed.deadlineReached() ? ", deadline reached" : "");
    }
}
