package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;

/**
 * The destination of the coordinator's messages. The Kafka implementation writes each to its topic;
 * tests may collect them.
 */
public interface FleetPublisher {

    /**
     * Sends the round plan and then its tasks. Implementations make the plan visible before any
     * task, so that the aggregator has the round before the first result arrives.
     */
    void publishRound(RoundOpened plan);

    void publishOutcome(SearchOutcome outcome);

}
