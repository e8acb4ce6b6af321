package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.coordinator.promotion.PromotedArtifacts;
import dev.quantfleet.engine.search.CandidateResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The status of the most recent requests, kept from the coordinator's {@link SearchListener}
 * calls for the API. Thread-safe: the coordinator's thread writes, API threads read and subscribe.
 * The oldest request is dropped once more than {@code capacity} are kept.
 */
public final class StatusBoard implements SearchListener {

    private final int capacity;
    private final String bucket;
    private final LongSupplier clockMs;
    private final Map<String, RequestStatus> statuses = new LinkedHashMap<>();
    private final List<Consumer<RequestStatus>> subscribers = new CopyOnWriteArrayList<>();

    /** @param bucket the S3 bucket of the artifact store, shown with every promoted file */
    public StatusBoard(int capacity, String bucket, LongSupplier clockMs) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity + "; it must be 1 or more");
        }
        this.capacity = capacity;
        this.bucket = bucket;
        this.clockMs = clockMs;
    }

    public synchronized Optional<RequestStatus> find(String requestId) {
        return Optional.ofNullable(statuses.get(requestId));
    }

    /** Returns the kept requests, newest first. */
    public synchronized List<RequestStatus> recent() {
        List<RequestStatus> recent = new ArrayList<>(statuses.values());
        Collections.reverse(recent);
        return recent;
    }

    /** Calls {@code subscriber} on every status change until {@link #unsubscribe}. */
    public void subscribe(Consumer<RequestStatus> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<RequestStatus> subscriber) {
        subscribers.remove(subscriber);
    }

    /** Records a request sent through the API, before the coordinator reads it. */
    public void onSubmitted(String requestId) {
        onReceived(requestId, clockMs.getAsLong());
    }

    @Override
    public void onReceived(String requestId, long receivedAtMs) {
        synchronized (this) {
            if (statuses.containsKey(requestId)) {
                return;
            }
        }
        update(requestId, status -> new RequestStatus(requestId, RequestState.PENDING, -1, 0, 0, 0, null, null, null,
                false, null, List.of(), receivedAtMs, receivedAtMs, null));
    }

    @Override
    public void onStarted(String requestId) {
        update(requestId, status -> with(status, RequestState.RUNNING));
    }

    @Override
    public void onRoundOpened(RoundOpened plan) {
        update(plan.requestId(), status -> new RequestStatus(status.requestId(), RequestState.RUNNING, plan.round(),
                0, plan.tasks().size(), status.trials(), status.bestCandidateId(), status.metric(),
                status.bestMetric(), status.bestAcceptable(), null, List.of(), status.receivedAtMs(), now(), status.promoted()));
    }

    @Override
    public void onResult(TaskResult result) {
        update(result.requestId(), status -> status.round() != result.round() ? status
                : new RequestStatus(status.requestId(), status.state(), status.round(),
                Math.min(status.tasksDone() + 1, status.tasksTotal()), status.tasksTotal(), status.trials(),
                status.bestCandidateId(), status.metric(), status.bestMetric(), status.bestAcceptable(), null,
                List.of(), status.receivedAtMs(), now(), status.promoted()));
    }

    @Override
    public void onRoundClosed(String requestId, int round, String metric, CandidateResult best, boolean acceptable,
                              int trials) {
        Double value = best == null ? null : best.evaluation().metrics().get(metric);
        update(requestId, status -> new RequestStatus(requestId, status.state(), round, status.tasksTotal(),
                status.tasksTotal(), trials, best == null ? null : best.candidateId(), metric, value, acceptable,
                null, List.of(), status.receivedAtMs(), now(), status.promoted()));
    }

    @Override
    public void onPromoted(String requestId, PromotedArtifacts promoted) {
        PromotedFiles files = new PromotedFiles(StoredArtifact.of(bucket, promoted.model()),
                StoredArtifact.of(bucket, promoted.reportJson()), StoredArtifact.of(bucket, promoted.reportHtml()));
        update(requestId, status -> status.withPromoted(files, now()));
    }

    @Override
    public void onOutcome(SearchOutcome outcome) {
        boolean completed = outcome.status() == OutcomeStatus.COMPLETED;
        update(outcome.requestId(), status -> new RequestStatus(outcome.requestId(),
                completed ? RequestState.COMPLETED : RequestState.REJECTED, status.round(), status.tasksDone(),
                status.tasksTotal(), outcome.trials(),
                outcome.winner() == null ? null : outcome.winner().candidateId(), status.metric(),
                outcome.winner() == null || status.metric() == null ? null
                        : outcome.winner().metrics().get(status.metric()),
                outcome.acceptable(), outcome.report(), outcome.rejectionReasons(), status.receivedAtMs(), now(),
                completed ? status.promoted() : null));
    }

    private RequestStatus with(RequestStatus status, RequestState state) {
        return new RequestStatus(status.requestId(), state, status.round(), status.tasksDone(), status.tasksTotal(),
                status.trials(), status.bestCandidateId(), status.metric(), status.bestMetric(),
                status.bestAcceptable(), status.report(), status.rejectionReasons(), status.receivedAtMs(), now(),
                status.promoted());
    }

    /** Applies {@code change}, creating a PENDING status first when the request is new. */
    private void update(String requestId, UnaryOperator<RequestStatus> change) {
        RequestStatus updated;
        synchronized (this) {
            RequestStatus current = statuses.get(requestId);
            if (current == null) {
                long now = now();
                current = new RequestStatus(requestId, RequestState.PENDING, -1, 0, 0, 0, null, null, null, false,
                        null, List.of(), now, now, null);
            }
            updated = change.apply(current);
            statuses.remove(requestId);
            statuses.put(requestId, updated);
            while (statuses.size() > capacity) {
                statuses.remove(statuses.keySet().iterator().next());
            }
        }
        subscribers.forEach(subscriber -> subscriber.accept(updated));
    }

    private long now() {
        return clockMs.getAsLong();
    }
}
