package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.topics.Topics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the aggregator topology.
 *
 * @param roundPlansTopic       input topic of {@code RoundOpened}, keyed by request id
 * @param resultsTopic          input topic of {@code TaskResult}, keyed by request id and
 *                              co-partitioned with {@code roundPlansTopic}
 * @param roundsTopic           output topic of {@code RoundCompleted}, keyed by request id
 * @param outcomesTopic         input topic of {@code SearchOutcome}, keyed by request id and
 *                              co-partitioned with {@code roundPlansTopic}; an outcome deletes the
 *                              request's state
 * @param deadlineCheckInterval wall-clock period of the deadline check; positive
 * @param retryTimeout          time a re-sent task gets before its next deadline. When empty, the
 *                              round's own duration is reused: its deadline minus the time the
 *                              plan was sent.
 * @param stateRetention        wall-clock time that a closed round without a next plan, and the
 *                              marker of a finished request, stay in the stores; positive
 */
public record AggregatorConfig(String roundPlansTopic,
                               String resultsTopic,
                               String roundsTopic,
                               String outcomesTopic,
                               Duration deadlineCheckInterval,
                               Optional<Duration> retryTimeout,
                               Duration stateRetention) {

    /** The deadline check period of {@link #defaults()}. */
    public static final Duration DEFAULT_DEADLINE_CHECK_INTERVAL = Duration.ofSeconds(1);

    /**
     * The state retention of {@link #defaults()}. A plan can only arrive after its request's outcome
     * when records of two topics are processed out of order or reprocessed after a crash, which
     * takes seconds, so an hour leaves a wide margin while the stores stay small. A result that
     * comes later still, after the marker is gone, is ignored as one without a plan.
     */
    public static final Duration DEFAULT_STATE_RETENTION = Duration.ofHours(1);

    public AggregatorConfig {
        requireTopic(roundPlansTopic, "roundPlansTopic");
        requireTopic(resultsTopic, "resultsTopic");
        requireTopic(roundsTopic, "roundsTopic");
        requireTopic(outcomesTopic, "outcomesTopic");
        requirePositive(deadlineCheckInterval, "deadlineCheckInterval");
        Objects.requireNonNull(retryTimeout, "retryTimeout; use Optional.empty() to reuse the round's duration");
        retryTimeout.ifPresent(timeout -> requirePositive(timeout, "retryTimeout"));
        requirePositive(stateRetention, "stateRetention");
    }

    /**
     * Returns the fleet's topics, a deadline check every second, the round's duration as retry
     * timeout and a state retention of one hour.
     */
    public static AggregatorConfig defaults() {
        return new AggregatorConfig(Topics.ROUND_PLANS, Topics.RESULTS, Topics.ROUNDS, Topics.OUTCOMES,
                DEFAULT_DEADLINE_CHECK_INTERVAL, Optional.empty(), DEFAULT_STATE_RETENTION);
    }

    /** Returns these settings with the deadline checked every {@code interval}. */
    public AggregatorConfig withDeadlineCheckInterval(Duration interval) {
        return new AggregatorConfig(roundPlansTopic, resultsTopic, roundsTopic, outcomesTopic, interval,
                retryTimeout, stateRetention);
    }

    /** Returns these settings with every re-sent task given {@code timeout} before its next deadline. */
    public AggregatorConfig withRetryTimeout(Duration timeout) {
        return new AggregatorConfig(roundPlansTopic, resultsTopic, roundsTopic, outcomesTopic, deadlineCheckInterval,
                Optional.of(timeout), stateRetention);
    }

    /** Returns these settings with closed rounds and finished-request markers kept for {@code retention}. */
    public AggregatorConfig withStateRetention(Duration retention) {
        return new AggregatorConfig(roundPlansTopic, resultsTopic, roundsTopic, outcomesTopic, deadlineCheckInterval,
                retryTimeout, retention);
    }

    private static void requireTopic(String topic, String name) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(name + " is missing; give a Kafka topic name such as '"
                    + Topics.ROUNDS + "'");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " is " + duration + "; give a positive duration such as 1s");
        }
    }
}
