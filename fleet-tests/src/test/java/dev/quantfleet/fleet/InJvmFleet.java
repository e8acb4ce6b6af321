package dev.quantfleet.fleet;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.aggregation.AggregatorConfig;
import dev.quantfleet.coordinator.aggregation.AggregatorCounters;
import dev.quantfleet.coordinator.aggregation.AggregatorTopology;
import dev.quantfleet.coordinator.intake.IntakeLimits;
import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import dev.quantfleet.coordinator.kafka.CoordinatorRuntime;
import dev.quantfleet.coordinator.kafka.FleetTopics;
import dev.quantfleet.coordinator.search.SearchSettings;
import dev.quantfleet.coordinator.search.StatusBoard;
import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.localstack.LocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The whole fleet in this JVM, from real components only: the local stack (an in-process Kafka
 * broker and S3 server), the aggregator as {@link KafkaStreams} with exactly_once_v2, the
 * coordinator through {@link CoordinatorRuntime}, and workers as {@link FleetWorker}s.
 *
 * <p>Everything started is closed in reverse order of start by {@link #close}, which goes on
 * after a failure and rethrows the first one with the others suppressed.
 */
final class InJvmFleet implements AutoCloseable {

    static final String BUCKET = "quantfleet";
    static final String PREFIX = "fleet";
    /** Partitions of every fleet topic, so that three workers of one pool each get one. */
    static final int PARTITIONS = 3;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration AGGREGATOR_CHECK_INTERVAL = Duration.ofMillis(200);
    private static final int TASK_THREADS = 1;
    private static final int MAX_TRIALS_ACCEPTED = 100;
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final int STATUS_BOARD_CAPACITY = 100;

    private final Path directory;
    private final Settings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, SearchOutcome> outcomes = new HashMap<>();
    private final List<FleetWorker> workers = new ArrayList<>();
    private LocalStack stack;
    private ArtifactStoreConfig storeConfig;
    private ArtifactStore store;
    private AggregatorCounters counters;
    private KafkaStreams aggregator;
    private final StatusBoard board = new StatusBoard(STATUS_BOARD_CAPACITY, BUCKET, System::currentTimeMillis);
    private KafkaConsumer<String, byte[]> outcomeConsumer;
    private CoordinatorRuntime coordinator;

    /**
     * How the fleet runs searches.
     *
     * @param pool            the one worker pool
     * @param roundDeadlineMs time each round's tasks have per attempt before the aggregator re-sends them
     * @param maxAttempts     attempts per task before the aggregator counts it as timed out
     */
    record Settings(String pool, long roundDeadlineMs, int maxAttempts) {
    }

    private InJvmFleet(Path directory, Settings settings) {
        this.directory = directory;
        this.settings = settings;
    }

    /** Starts the local stack, creates the topics and starts the aggregator. Start the coordinator and workers next. */
    static InJvmFleet start(Path directory, Settings settings) throws Exception {
        InJvmFleet fleet = new InJvmFleet(directory, settings);
        try {
            fleet.startInfrastructure();
        } catch (Exception | AssertionError e) {
            fleet.closeAfter(e);
            throw e;
        }
        return fleet;
    }

    private void startInfrastructure() throws IOException {
        stack = track(LocalStack.start(BUCKET));
        EmbeddedS3 s3 = stack.s3();
        storeConfig = ArtifactStoreConfig.of(s3.endpointUri(), EmbeddedS3.REGION, BUCKET, PREFIX, s3.accessKey(),
                s3.secretKey());
        store = track(ArtifactStore.open(storeConfig));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            FleetTopics.createMissing(admin, List.of(settings.pool()), PARTITIONS, (short) 1);
        }
        counters = new AggregatorCounters();
        aggregator = new KafkaStreams(AggregatorTopology.build(
                AggregatorConfig.defaults().withDeadlineCheckInterval(AGGREGATOR_CHECK_INTERVAL), counters),
                aggregatorProperties(Files.createDirectories(directory.resolve("aggregator-state"))));
        track(() -> aggregator.close(Duration.ofSeconds(10)));
        aggregator.start();
        Poll.until("the aggregator to run", START_TIMEOUT, () -> aggregator.state() == KafkaStreams.State.RUNNING);
        outcomeConsumer = track(new KafkaConsumer<>(CoordinatorLoop.consumerProperties(bootstrapServers())));
        assignFromBeginning(outcomeConsumer, Topics.OUTCOMES);
    }

    private Properties aggregatorProperties(Path stateDirectory) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "quantfleet-aggregator");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        return properties;
    }

    String bootstrapServers() {
        return stack.kafka().bootstrapServers();
    }

    /** Returns the test's own client of the artifact store. */
    ArtifactStore store() {
        return store;
    }

    AggregatorCounters aggregatorCounters() {
        return counters;
    }

    /** Returns the statuses that every coordinator of this fleet reported, as its REST API shows them. */
    StatusBoard board() {
        return board;
    }

    /** Returns whether the aggregator's round state store has an entry for {@code requestId}. */
    boolean aggregatorHasRoundState(String requestId) {
        ReadOnlyKeyValueStore<String, Object> rounds = aggregator.store(StoreQueryParameters.fromNameAndType(
                AggregatorTopology.ROUND_STATE_STORE, QueryableStoreTypes.<String, Object>keyValueStore()));
        return rounds.get(requestId) != null;
    }

    /** Starts a coordinator and waits until it has replayed the topics and resumed the open searches. */
    CoordinatorRuntime startCoordinator() {
        if (coordinator != null) {
            throw new IllegalStateException("A coordinator is already running, so stop it first");
        }
        coordinator = track(CoordinatorRuntime.start(
                new CoordinatorRuntime.KafkaSettings(bootstrapServers(), true, PARTITIONS, (short) 1), store,
                directory.resolve("coordinator-cache"),
                new IntakeLimits(List.of(settings.pool()), MAX_FILE_BYTES, 0, MAX_FILE_BYTES, MAX_TRIALS_ACCEPTED),
                new SearchSettings(settings.roundDeadlineMs(), settings.maxAttempts(),
                        new TaskSettings(TASK_THREADS, false)), board));
        Poll.until("the coordinator to resume", START_TIMEOUT, coordinator::ready);
        return coordinator;
    }

    /** Stops the running coordinator, as a restart of its process would. */
    void stopCoordinator() {
        started.remove(coordinator);
        coordinator.close();
        coordinator = null;
    }

    /** Starts {@code count} undisturbed workers named {@code worker-1}, {@code worker-2} and so on. */
    List<FleetWorker> startWorkers(int count) {
        return startWorkers(count, id -> FleetWorker.TaskInterceptor.NONE);
    }

    /** Starts {@code count} workers whose tasks pass through the interceptor made for each one's id. */
    List<FleetWorker> startWorkers(int count, Function<String, FleetWorker.TaskInterceptor> interceptors) {
        List<FleetWorker> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String workerId = "worker-" + (workers.size() + 1);
            FleetWorker worker = track(FleetWorker.start(workerId, bootstrapServers(), storeConfig, settings.pool(),
                    settings.maxAttempts(), directory.resolve(workerId), interceptors.apply(workerId)));
            workers.add(worker);
            added.add(worker);
        }
        for (FleetWorker worker : added) {
            Poll.until(worker.workerId() + " to poll", START_TIMEOUT, worker::isPolling);
        }
        awaitBalancedGroup();
        return added;
    }

    /** Waits until the pool's consumer group is stable with a partition for every running worker. */
    void awaitBalancedGroup() {
        String group = "quantfleet-worker-" + settings.pool();
        long running = workers.stream().filter(worker -> !worker.isStopped()).count();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Poll.until(running + " workers with partitions in group " + group, START_TIMEOUT, () -> {
                ConsumerGroupDescription description = describe(admin, group);
                return description.groupState() == GroupState.STABLE && description.members().size() == running
                        && description.members().stream()
                                .noneMatch(member -> member.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Describing consumer group " + group + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing consumer group " + group, e);
        }
    }

    /** Sends {@code request} through the running coordinator's publisher, as its REST API does. */
    void submit(QuantizationRequest request) {
        if (coordinator == null) {
            throw new IllegalStateException("No coordinator is running, so start one before submitting " + request.requestId());
        }
        coordinator.publisher().publishRequest(request.requestId(), WireJson.toBytes(request));
    }

    /** Waits for the committed outcome of {@code requestId}. */
    SearchOutcome awaitOutcome(String requestId, Duration timeout) {
        return Poll.value("the outcome of request " + requestId, timeout, () -> {
            for (ConsumerRecord<String, byte[]> record : outcomeConsumer.poll(Duration.ofMillis(100))) {
                outcomes.put(record.key(), WireJson.fromBytes(record.value(), SearchOutcome.class));
            }
            return Optional.ofNullable(outcomes.get(requestId));
        });
    }

    /** Waits until the plan of {@code round} of {@code requestId} is on the round plans topic. */
    RoundOpened awaitRoundPlan(String requestId, int round, Duration timeout) {
        return Poll.value("round " + round + " of request " + requestId, timeout, () -> roundPlans(requestId)
                .stream().filter(plan -> plan.round() == round).findFirst());
    }

    /** Returns every committed round plan of {@code requestId}, in the order sent. */
    List<RoundOpened> roundPlans(String requestId) {
        return readAll(Topics.ROUND_PLANS).stream().filter(record -> requestId.equals(record.key()))
                .map(record -> WireJson.fromBytes(record.value(), RoundOpened.class)).toList();
    }

    /** Returns every committed result of {@code requestId} on the results topic, in partition order. */
    List<TaskResult> results(String requestId) {
        return readAll(Topics.RESULTS).stream().filter(record -> requestId.equals(record.key()))
                .map(record -> WireJson.TASK_RESULT.fromBytes(record.value())).toList();
    }

    /** Reads {@code topic} from its beginning to its current end, read_committed. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                CoordinatorLoop.consumerProperties(bootstrapServers()))) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<TopicPartition> assignFromBeginning(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        started.push(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        closeAfter(null);
    }

    /** Closes everything started, newest first. Throws the first failure, or adds every failure to {@code earlier}. */
    private void closeAfter(Throwable earlier) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (earlier != null) {
                    earlier.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
