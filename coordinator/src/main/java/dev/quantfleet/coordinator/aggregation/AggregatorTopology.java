package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.WireJson;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the aggregator's Kafka Streams topology. Both inputs are read as bytes and decoded
 * inside the topology, so a malformed record is logged and skipped instead of stopping the
 * stream:
 *
 * <pre>
 * round-plans --&gt; decode-round-plans --+
 *                                      +--&gt; aggregate-rounds [store: round states] --+--&gt; rounds
 * results -----&gt; decode-results -------+                                            +--&gt; tasks.&lt;pool&gt; (retries)
 * </pre>
 *
 * A re-sent task goes to the next partition of its pool's topic at each attempt
 * ({@link RetryPartitioner}), so that the retry does not queue behind a worker stuck in the task.
 *
 * <p>The two input topics must be co-partitioned (same partition count, request id as key), because
 * one task joins a request's plan and results in its local store.
 */
public final class AggregatorTopology {

    /** Persistent key-value store: request id to the state of its current round. */
    public static final String ROUND_STATE_STORE = "quantfleet-aggregator-rounds";

    static final String ROUND_PLANS_SOURCE = "round-plans-source";
    static final String RESULTS_SOURCE = "results-source";
    static final String DECODE_ROUND_PLANS = "decode-round-plans";
    static final String DECODE_RESULTS = "decode-results";
    static final String AGGREGATE_ROUNDS = "aggregate-rounds";
    static final String ROUNDS_SINK = "rounds-sink";
    static final String TASK_RETRIES_SINK = "task-retries-sink";

    private AggregatorTopology() {
    }

    /** Returns the topology for {@code config}, counting into {@code counters}. */
    public static Topology build(AggregatorConfig config, AggregatorCounters counters) {
        Topology topology = new Topology();
        topology.addSource(ROUND_PLANS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.roundPlansTopic());
        topology.addSource(RESULTS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.resultsTopic());
        topology.addProcessor(DECODE_ROUND_PLANS, () -> new WireDecoder<>(WireJson.ROUND_OPENED, counters),
                ROUND_PLANS_SOURCE);
        topology.addProcessor(DECODE_RESULTS, () -> new WireDecoder<>(WireJson.TASK_RESULT, counters),
                RESULTS_SOURCE);
        topology.addProcessor(AGGREGATE_ROUNDS, () -> new RoundAggregator(config, counters),
                DECODE_ROUND_PLANS, DECODE_RESULTS);
        topology.addStateStore(roundStateStore(), AGGREGATE_ROUNDS);
        topology.addSink(ROUNDS_SINK, config.roundsTopic(), Serdes.String().serializer(),
                new WireSerde<RoundCompleted>(WireJson.ROUND_COMPLETED).serializer(), AGGREGATE_ROUNDS);
        topology.addSink(TASK_RETRIES_SINK, (taskId, task, recordContext) -> task.topic(),
                Serdes.String().serializer(), new WireSerde<Task>(WireJson.TASK).serializer(), new RetryPartitioner(),
                AGGREGATE_ROUNDS);
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, RoundState>> roundStateStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROUND_STATE_STORE), Serdes.String(),
                new RoundStateSerde());
    }
}
