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
 * Builds the aggregator's Kafka Streams topology. Every input is read as bytes and decoded
 * inside the topology, so a malformed record is logged and skipped instead of stopping the
 * stream:
 *
 * <pre>
 * round-plans --&gt; decode-round-plans --+
 * results -----&gt; decode-results -------+--&gt; aggregate-rounds --+--&gt; rounds
 * outcomes ----&gt; decode-outcomes ------+    [stores: round    +--&gt; tasks.&lt;pool&gt; (retries)
 *                                            states, finished
 *                                            requests]
 * </pre>
 *
 * A re-sent task goes to the next partition of its pool's topic at each attempt
 * ({@link RetryPartitioner}), so that the retry does not queue behind a worker stuck in the task.
 *
 * <p>The three input topics must be co-partitioned (same partition count, request id as key),
 * because one task joins a request's plans, results and outcome in its local stores.
 */
public final class AggregatorTopology {

    /** Persistent key-value store: request id to the state of its current round. */
    public static final String ROUND_STATE_STORE = "quantfleet-aggregator-rounds";

    /**
     * Persistent key-value store: request id of a request with an outcome to the wall-clock time the
     * outcome was processed, in epoch milliseconds. Kept for the state retention, so that plans and
     * results that arrive after the outcome are ignored.
     */
    public static final String FINISHED_STORE = "quantfleet-aggregator-finished";

    static final String ROUND_PLANS_SOURCE = "round-plans-source";
    static final String RESULTS_SOURCE = "results-source";
    static final String OUTCOMES_SOURCE = "outcomes-source";
    static final String DECODE_ROUND_PLANS = "decode-round-plans";
    static final String DECODE_RESULTS = "decode-results";
    static final String DECODE_OUTCOMES = "decode-outcomes";
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
        topology.addSource(OUTCOMES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.outcomesTopic());
        topology.addProcessor(DECODE_ROUND_PLANS, () -> new WireDecoder<>(WireJson.ROUND_OPENED, counters),
                ROUND_PLANS_SOURCE);
        topology.addProcessor(DECODE_RESULTS, () -> new WireDecoder<>(WireJson.TASK_RESULT, counters),
                RESULTS_SOURCE);
        topology.addProcessor(DECODE_OUTCOMES, () -> new WireDecoder<>(WireJson.SEARCH_OUTCOME, counters),
                OUTCOMES_SOURCE);
        topology.addProcessor(AGGREGATE_ROUNDS, () -> new RoundAggregator(config, counters),
                DECODE_ROUND_PLANS, DECODE_RESULTS, DECODE_OUTCOMES);
        topology.addStateStore(roundStateStore(), AGGREGATE_ROUNDS);
        topology.addStateStore(finishedStore(), AGGREGATE_ROUNDS);
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

    private static StoreBuilder<KeyValueStore<String, Long>> finishedStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FINISHED_STORE), Serdes.String(),
                Serdes.Long());
    }
}
