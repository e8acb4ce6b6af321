package dev.quantfleet.coordinator.aggregation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;

/** Hands the aggregator topology and its counters to the Quarkus Kafka Streams extension. */
@ApplicationScoped
public class AggregatorTopologyProducer {

    private final AggregatorCounters counters = new AggregatorCounters();

    @Produces
    @Singleton
    AggregatorCounters aggregatorCounters() {
        return counters;
    }

    @Produces
    Topology aggregatorTopology(AggregatorSettings settings) {
        return AggregatorTopology.build(settings.toConfig(), counters);
    }
}
