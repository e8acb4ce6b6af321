package dev.quantfleet.coordinator.aggregation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The {@code quantfleet.aggregator.*} properties of the coordinator. */
@ConfigMapping(prefix = "quantfleet.aggregator")
public interface AggregatorSettings {

    /** Wall-clock period of the deadline check, e.g. {@code 1s}. */
    @WithDefault("1s")
    Duration deadlineCheckInterval();

    /** Time a re-sent task gets before its next deadline; unset to reuse the round's own duration. */
    Optional<Duration> retryTimeout();

    /**
     * Wall-clock time that a closed round without a next plan, and the marker of a finished
     * request, stay in the aggregator's stores before they are deleted, e.g. {@code 1h}.
     */
    @WithDefault("1h")
    Duration stateRetention();

    /** Returns the topology settings: the fleet's topics with these durations. */
    default AggregatorConfig toConfig() {
        AggregatorConfig config = AggregatorConfig.defaults().withDeadlineCheckInterval(deadlineCheckInterval())
                .withStateRetention(stateRetention());
        return retryTimeout().map(config::withRetryTimeout).orElse(config);
    }
}
