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
 * @param deadlineCheckInterval wall-clock period of the deadline check; positive
 * @param retryTimeout          time a re-sent task gets before its next deadline. When empty, the
 *                              round's own duration is reused: its deadline minus the time the
 *                              plan was sent.
 */
public record AggregatorConfig(String roundPlansTopic,
                               String resultsTopic,
                               String roundsTopic,
                               Duration deadlineCheckInterval,
                               Optional<Duration> retryTimeout) {

    /** The deadline check period of {@link #defaults()}. */
    public static final Duration DEFAULT_DEADLINE_CHECK_INTERVAL = Duration.ofSeconds(1);

    public AggregatorConfig {
        requireTopic(roundPlansTopic, "roundPlansTopic");
        requireTopic(resultsTopic, "resultsTopic");
        requireTopic(roundsTopic, "roundsTopic");
        requirePositive(deadlineCheckInterval, "deadlineCheckInterval");
        Objects.requireNonNull(retryTimeout, "retryTimeout; use Optional.empty() to reuse the round's duration");
        retryTimeout.ifPresent(timeout -> requirePositive(timeout, "retryTimeout"));
    }

    /** Returns the fleet's topics, a deadline check every second and the round's duration as retry timeout. */
    public static AggregatorConfig defaults() {
        return new AggregatorConfig(Topics.ROUND_PLANS, Topics.RESULTS, Topics.ROUNDS,
                DEFAULT_DEADLINE_CHECK_INTERVAL, Optional.empty());
    }

    /** Returns these settings with the deadline checked every {@code interval}. */
    public AggregatorConfig withDeadlineCheckInterval(Duration interval) {
        return new AggregatorConfig(roundPlansTopic, resultsTopic, roundsTopic, interval, retryTimeout);
    }

    /** Returns these settings with every re-sent task given {@code timeout} before its next deadline. */
    public AggregatorConfig withRetryTimeout(Duration timeout) {
        return new AggregatorConfig(roundPlansTopic, resultsTopic, roundsTopic, deadlineCheckInterval,
                Optional.of(timeout));
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
