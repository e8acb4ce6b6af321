package dev.quantfleet.coordinator.aggregation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of what the aggregator ignored, re-sent, closed and deleted since this instance started.
 * Shared by every stream thread of one topology, so the counters are atomic. They are not
 * restored from Kafka after a restart.
 */
public final class AggregatorCounters {

    private final AtomicLong malformedPayloads = new AtomicLong();
    private final AtomicLong ignoredPlans = new AtomicLong();
    private final AtomicLong ignoredResults = new AtomicLong();
    private final AtomicLong resentTasks = new AtomicLong();
    private final AtomicLong timedOutTasks = new AtomicLong();
    private final AtomicLong completedRounds = new AtomicLong();
    private final AtomicLong deletedRoundStates = new AtomicLong();
    private final AtomicLong deletedFinishedMarkers = new AtomicLong();

    /** Payloads on an input topic that could not be read as their message type, null values included. */
    public long malformedPayloads() {
        return malformedPayloads.get();
    }

    /**
     * Round plans dropped because their round was already open, closed or older than the current one,
     * or because the request already has its outcome.
     */
    public long ignoredPlans() {
        return ignoredPlans.get();
    }

    /**
     * Results dropped as duplicates, late, of another round, of a task not in the plan, without a plan
     * or of a request that already has its outcome.
     */
    public long ignoredResults() {
        return ignoredResults.get();
    }

    /** Tasks sent again to their pool because their deadline passed without a result. */
    public long resentTasks() {
        return resentTasks.get();
    }

    /** Tasks that had no result after their last attempt. */
    public long timedOutTasks() {
        return timedOutTasks.get();
    }

    /** {@code RoundCompleted} records sent. */
    public long completedRounds() {
        return completedRounds.get();
    }

    /** Round states deleted, after the request's outcome or after the retention of a closed round. */
    public long deletedRoundStates() {
        return deletedRoundStates.get();
    }

    /** Markers of finished requests deleted after the retention. */
    public long deletedFinishedMarkers() {
        return deletedFinishedMarkers.get();
    }

    void countMalformedPayload() {
        malformedPayloads.incrementAndGet();
    }

    void countIgnoredPlan() {
        ignoredPlans.incrementAndGet();
    }

    void countIgnoredResult() {
        ignoredResults.incrementAndGet();
    }

    void countResentTasks(int count) {
        resentTasks.addAndGet(count);
    }

    void countTimedOutTasks(int count) {
        timedOutTasks.addAndGet(count);
    }

    void countCompletedRound() {
        completedRounds.incrementAndGet();
    }

    void countDeletedRoundState() {
        deletedRoundStates.incrementAndGet();
    }

    void countDeletedFinishedMarker() {
        deletedFinishedMarkers.incrementAndGet();
    }
}
