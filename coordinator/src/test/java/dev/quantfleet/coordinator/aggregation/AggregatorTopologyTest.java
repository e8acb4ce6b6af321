package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.RoundCompleted;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.RoundTaskStatus;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.search.StopReason;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.quantfleet.coordinator.aggregation.RoundMessages.evaluateTasks;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.failedResult;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.okResult;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.plan;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.roundZeroTasks;
import static dev.quantfleet.coordinator.aggregation.RoundMessages.unsupportedResult;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of the aggregator, driven through {@link TopologyTestDriver} with a mock wall clock. */
class AggregatorTopologyTest {

    private static final String REQUEST_ID = "req-7";
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration ROUND_DURATION = Duration.ofSeconds(60);
    private static final long DEADLINE_MS = START.plus(ROUND_DURATION).toEpochMilli();
    private static final String CPU_TASKS = Topics.tasks("cpu");
    private static final String ROCM_TASKS = Topics.tasks("rocm");

    @TempDir
    Path stateDirectory;

    private final AggregatorCounters counters = new AggregatorCounters();
    private TopologyTestDriver driver;
    private long elapsedWallClockMs;
    private TestInputTopic<String, byte[]> roundPlans;
    private TestInputTopic<String, byte[]> results;
    private TestInputTopic<String, byte[]> outcomes;
    private TestOutputTopic<String, RoundCompleted> rounds;
    private TestOutputTopic<String, Task> cpuTasks;
    private TestOutputTopic<String, Task> rocmTasks;

    @BeforeAll
    static void quietKafkaLogs() {
        QuietKafkaLogs.apply();
    }

    @BeforeEach
    void startDriver() {
        startDriver(AggregatorConfig.defaults());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void closesRoundWhenResultsArriveInAnyOrder() {
        List<Task> tasks = evaluateTasks(REQUEST_ID, 1, "cpu", DEADLINE_MS, "a8w8", "a16w8", "dynamic-int8");
        sendPlan(plan(tasks, DEADLINE_MS, 3));

        sendResult(unsupportedResult(tasks.get(2), "worker-b"));
        sendResult(okResult(tasks.get(0), "worker-a"));
        assertThat(rounds.isEmpty()).as("round closed before its last result").isTrue();
        sendResult(failedResult(tasks.get(1), "worker-b"));

        List<KeyValue<String, RoundCompleted>> closed = rounds.readKeyValuesToList();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).key).isEqualTo(REQUEST_ID);
        RoundCompleted completed = closed.get(0).value;
        assertThat(completed.round()).isEqualTo(1);
        assertThat(completed.deadlineReached()).isFalse();
        assertThat(completed.taskStatuses()).containsExactlyInAnyOrderEntriesOf(Map.of(
                tasks.get(0).taskId(), RoundTaskStatus.OK,
                tasks.get(1).taskId(), RoundTaskStatus.FAILED,
                tasks.get(2).taskId(), RoundTaskStatus.UNSUPPORTED));
        assertThat(counters.completedRounds()).isEqualTo(1);
        assertThat(counters.ignoredResults()).isZero();
    }

    @Test
    void ignoresDuplicateResults() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));

        sendResult(okResult(tasks.get(0), "worker-a"));
        sendResult(failedResult(tasks.get(0), "worker-b"));
        sendResult(okResult(tasks.get(1), "worker-a"));
        sendResult(okResult(tasks.get(1), "worker-a"));

        List<RoundCompleted> closed = rounds.readValuesToList();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).taskStatuses()).containsEntry(tasks.get(0).taskId(), RoundTaskStatus.OK);
        assertThat(counters.ignoredResults()).isEqualTo(2);
    }

    @Test
    void ignoresUnplannedAndOtherRoundResults() {
        List<Task> roundZero = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        List<Task> roundOne = evaluateTasks(REQUEST_ID, 1, "cpu", DEADLINE_MS, "a8w8", "a16w8");
        Task notPlanned = evaluateTasks(REQUEST_ID, 1, "cpu", DEADLINE_MS, "a8w8-entropy").get(0);
        Task otherRequest = roundZeroTasks("req-8", "cpu", DEADLINE_MS).get(0);
        sendPlan(plan(roundOne, DEADLINE_MS, 3));

        sendResult(okResult(notPlanned, "worker-a"));
        sendResult(okResult(roundZero.get(0), "worker-a"));
        sendResult(okResult(otherRequest, "worker-a"));
        assertThat(rounds.isEmpty()).isTrue();
        assertThat(counters.ignoredResults()).isEqualTo(3);

        sendResult(okResult(roundOne.get(0), "worker-a"));
        sendResult(okResult(roundOne.get(1), "worker-a"));
        RoundCompleted completed = rounds.readValue();
        assertThat(completed.taskStatuses()).containsOnlyKeys(roundOne.get(0).taskId(), roundOne.get(1).taskId());
        assertThat(rounds.isEmpty()).isTrue();
    }

    @Test
    void resendsOverdueTaskToItsPool() {
        List<Task> tasks = evaluateTasks(REQUEST_ID, 1, "rocm", DEADLINE_MS, "a8w8", "a16w8");
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        sendResult(okResult(tasks.get(0), "worker-a"));

        advance(ROUND_DURATION.plusSeconds(1));

        List<KeyValue<String, Task>> resent = rocmTasks.readKeyValuesToList();
        assertThat(resent).hasSize(1);
        Task retry = resent.get(0).value;
        assertThat(resent.get(0).key).isEqualTo(tasks.get(1).taskId());
        assertThat(retry.taskId()).isEqualTo(tasks.get(1).taskId());
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.deadlineMs()).isEqualTo(wallClockMs() + ROUND_DURATION.toMillis());
        assertThat(retry.config()).isEqualTo(tasks.get(1).config());
        assertThat(cpuTasks.isEmpty()).as("retry went to another pool's topic").isTrue();
        assertThat(rounds.isEmpty()).isTrue();
        assertThat(counters.resentTasks()).isEqualTo(1);

        advance(ROUND_DURATION.dividedBy(2));
        assertThat(rocmTasks.isEmpty()).as("re-sent again before the new deadline").isTrue();

        sendResult(okResult(retry, "worker-b"));
        RoundCompleted completed = rounds.readValue();
        assertThat(completed.deadlineReached()).isFalse();
        assertThat(completed.counts()).containsEntry(RoundTaskStatus.OK, 2);
    }

    @Test
    void usesConfiguredRetryTimeout() {
        driver.close();
        startDriver(AggregatorConfig.defaults().withRetryTimeout(Duration.ofSeconds(5)));
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 2));

        advance(ROUND_DURATION.plusSeconds(1));

        List<Task> resent = cpuTasks.readValuesToList();
        assertThat(resent).hasSize(2);
        assertThat(resent).allSatisfy(task -> assertThat(task.deadlineMs()).isEqualTo(wallClockMs() + 5_000L));
    }

    @Test
    void countsResultOfEarlierAttemptAsFinal() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        advance(ROUND_DURATION.plusSeconds(1));
        List<Task> retries = cpuTasks.readValuesToList();
        assertThat(retries).extracting(Task::attempt).containsExactly(2, 2);

        sendResult(okResult(tasks.get(0), "slow-worker"));
        sendResult(failedResult(retries.get(0), "fast-worker"));
        sendResult(okResult(retries.get(1), "fast-worker"));

        RoundCompleted completed = rounds.readValue();
        assertThat(completed.taskStatuses()).containsEntry(tasks.get(0).taskId(), RoundTaskStatus.OK);
        assertThat(counters.ignoredResults()).isEqualTo(1);
    }

    @Test
    void timesOutAfterMaxAttempts() {
        List<Task> tasks = evaluateTasks(REQUEST_ID, 2, "cpu", DEADLINE_MS, "a8w8", "a16w8");
        sendPlan(plan(tasks, DEADLINE_MS, 2));
        sendResult(okResult(tasks.get(0), "worker-a"));

        advance(ROUND_DURATION.plusSeconds(1));
        assertThat(cpuTasks.readValuesToList()).extracting(Task::attempt).containsExactly(2);
        assertThat(rounds.isEmpty()).isTrue();

        advance(ROUND_DURATION.plusSeconds(1));
        assertThat(cpuTasks.isEmpty()).as("re-sent beyond maxAttempts").isTrue();
        List<RoundCompleted> closed = rounds.readValuesToList();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).deadlineReached()).isTrue();
        assertThat(closed.get(0).taskStatuses())
                .containsEntry(tasks.get(0).taskId(), RoundTaskStatus.OK)
                .containsEntry(tasks.get(1).taskId(), RoundTaskStatus.TIMED_OUT);
        assertThat(counters.timedOutTasks()).isEqualTo(1);

        sendResult(okResult(tasks.get(1).nextAttempt(), "late-worker"));
        advance(ROUND_DURATION.multipliedBy(3));
        assertThat(rounds.isEmpty()).as("second RoundCompleted for the same round").isTrue();
        assertThat(cpuTasks.isEmpty()).isTrue();
        assertThat(counters.ignoredResults()).isEqualTo(1);
        assertThat(counters.completedRounds()).isEqualTo(1);
    }

    @Test
    void timesOutAtFirstDeadlineWithSingleAttempt() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 1));

        advance(Duration.ofSeconds(30));
        assertThat(rounds.isEmpty()).as("closed before the deadline").isTrue();
        advance(Duration.ofSeconds(31));

        RoundCompleted completed = rounds.readValue();
        assertThat(completed.deadlineReached()).isTrue();
        assertThat(completed.counts()).containsExactlyEntriesOf(Map.of(RoundTaskStatus.TIMED_OUT, 2));
        assertThat(cpuTasks.isEmpty()).isTrue();
    }

    @Test
    void closesRoundOnceDespiteRedelivery() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        RoundOpened plan = plan(tasks, DEADLINE_MS, 3);
        sendPlan(plan);
        sendResult(okResult(tasks.get(0), "worker-a"));
        sendPlan(plan);
        sendResult(okResult(tasks.get(1), "worker-a"));
        assertThat(rounds.readValuesToList()).hasSize(1);

        sendPlan(plan);
        sendResult(okResult(tasks.get(0), "worker-a"));
        sendResult(okResult(tasks.get(1), "worker-a"));
        advance(ROUND_DURATION.multipliedBy(4));

        assertThat(rounds.isEmpty()).isTrue();
        assertThat(cpuTasks.isEmpty()).isTrue();
        assertThat(counters.ignoredPlans()).isEqualTo(2);
        assertThat(counters.completedRounds()).isEqualTo(1);
    }

    @Test
    void skipsMalformedPayloadsAndKeepsProcessing() {
        roundPlans.pipeInput(REQUEST_ID, "not json".getBytes(StandardCharsets.UTF_8), START);
        roundPlans.pipeInput(REQUEST_ID, "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8), START);
        results.pipeInput(REQUEST_ID, (byte[]) null, START);
        results.pipeInput(REQUEST_ID, "[1,2]".getBytes(StandardCharsets.UTF_8), START);
        results.pipeInput(REQUEST_ID, "{\"schemaVersion\":99}".getBytes(StandardCharsets.UTF_8), START);
        assertThat(counters.malformedPayloads()).isEqualTo(5);

        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        results.pipeInput(REQUEST_ID, new byte[]{(byte) 0xff, 0x00}, START);
        sendResult(okResult(tasks.get(0), "worker-a"));
        sendResult(okResult(tasks.get(1), "worker-a"));

        assertThat(rounds.readValuesToList()).hasSize(1);
        assertThat(counters.malformedPayloads()).isEqualTo(6);
    }

    @Test
    void opensNextRoundAfterClose() {
        List<Task> roundZero = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(roundZero, DEADLINE_MS, 3));
        roundZero.forEach(task -> sendResult(okResult(task, "worker-a")));
        assertThat(rounds.readValue().round()).isZero();

        long nextDeadlineMs = DEADLINE_MS + 120_000L;
        List<Task> roundOne = evaluateTasks(REQUEST_ID, 1, "cpu", nextDeadlineMs, "a8w8", "a8w8-percentile");
        sendPlan(plan(roundOne, nextDeadlineMs, 3));
        sendResult(okResult(roundZero.get(0), "worker-a"));
        sendPlan(plan(roundZero, DEADLINE_MS, 3));
        advance(ROUND_DURATION.plusSeconds(1));
        assertThat(cpuTasks.isEmpty()).as("re-sent a task of round 1 before its own deadline").isTrue();
        roundOne.forEach(task -> sendResult(okResult(task, "worker-b")));

        List<RoundCompleted> closed = rounds.readValuesToList();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).round()).isEqualTo(1);
        assertThat(closed.get(0).taskStatuses()).containsOnlyKeys(roundOne.get(0).taskId(), roundOne.get(1).taskId());
        assertThat(counters.ignoredPlans()).isEqualTo(1);
        assertThat(counters.ignoredResults()).isEqualTo(1);
    }

    @Test
    void replacesOpenRoundWithNewerPlan() {
        List<Task> roundZero = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(roundZero, DEADLINE_MS, 3));
        List<Task> roundOne = evaluateTasks(REQUEST_ID, 1, "cpu", DEADLINE_MS, "a8w8");
        sendPlan(plan(roundOne, DEADLINE_MS, 3));

        sendResult(okResult(roundZero.get(0), "worker-a"));
        sendResult(okResult(roundOne.get(0), "worker-a"));

        List<RoundCompleted> closed = rounds.readValuesToList();
        assertThat(closed).extracting(RoundCompleted::round).containsExactly(1);
    }

    @Test
    void keepsRoundStateInStore() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        sendResult(failedResult(tasks.get(1), "worker-a"));

        KeyValueStore<String, RoundState> store = driver.getKeyValueStore(AggregatorTopology.ROUND_STATE_STORE);
        RoundState state = store.get(REQUEST_ID);
        assertThat(state.round()).isZero();
        assertThat(state.closed()).isFalse();
        assertThat(state.deadlineMs()).isEqualTo(DEADLINE_MS);
        assertThat(state.retryTimeoutMs()).isEqualTo(ROUND_DURATION.toMillis());
        assertThat(state.statuses()).containsExactlyEntriesOf(Map.of(tasks.get(1).taskId(),
                RoundTaskStatus.FAILED));
        assertThat(state.pendingTaskIds()).containsExactly(tasks.get(0).taskId());
    }

    @Test
    void outcomeDeletesFinishedRequestState() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        tasks.forEach(task -> sendResult(okResult(task, "worker-a")));
        assertThat(rounds.readValuesToList()).hasSize(1);

        sendOutcome(completedOutcome(REQUEST_ID));

        assertThat(keysOf(AggregatorTopology.ROUND_STATE_STORE)).as("round states").isEmpty();
        assertThat(keysOf(AggregatorTopology.FINISHED_STORE)).as("finished markers").containsExactly(REQUEST_ID);
        assertThat(counters.deletedRoundStates()).isEqualTo(1);
    }

    @Test
    void ignoresLateRecordsOfFinishedRequest() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        tasks.forEach(task -> sendResult(okResult(task, "worker-a")));
        rounds.readValuesToList();
        sendOutcome(completedOutcome(REQUEST_ID));

        sendResult(okResult(tasks.get(0), "worker-b"));
        List<Task> roundOne = evaluateTasks(REQUEST_ID, 1, "cpu", DEADLINE_MS, "a8w8");
        sendPlan(plan(roundOne, DEADLINE_MS, 3));
        sendResult(okResult(roundOne.get(0), "worker-b"));
        advance(ROUND_DURATION.multipliedBy(4));

        assertThat(rounds.isEmpty()).as("RoundCompleted after the outcome").isTrue();
        assertThat(cpuTasks.isEmpty()).as("tasks re-sent after the outcome").isTrue();
        assertThat(keysOf(AggregatorTopology.ROUND_STATE_STORE)).as("round states").isEmpty();
        assertThat(counters.ignoredResults()).isEqualTo(2);
        assertThat(counters.ignoredPlans()).isEqualTo(1);
    }

    @Test
    void outcomeStopsOpenRound() {
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(tasks, DEADLINE_MS, 3));
        sendResult(failedResult(tasks.get(0), "worker-a"));

        sendOutcome(SearchOutcome.rejected(REQUEST_ID, List.of("The float model failed")));
        advance(ROUND_DURATION.multipliedBy(4));
        sendResult(okResult(tasks.get(1), "worker-a"));

        assertThat(keysOf(AggregatorTopology.ROUND_STATE_STORE)).as("round states").isEmpty();
        assertThat(cpuTasks.isEmpty()).as("pending tasks re-sent after the outcome").isTrue();
        assertThat(rounds.isEmpty()).as("RoundCompleted after the outcome").isTrue();
        assertThat(counters.timedOutTasks()).isZero();
        assertThat(counters.ignoredResults()).isEqualTo(1);
    }

    @Test
    void deletesFinishedMarkerAfterRetention() {
        driver.close();
        startDriver(AggregatorConfig.defaults().withStateRetention(Duration.ofMinutes(10)));
        sendOutcome(SearchOutcome.rejected(REQUEST_ID, List.of("The model is missing")));

        advance(Duration.ofMinutes(9));
        assertThat(keysOf(AggregatorTopology.FINISHED_STORE)).containsExactly(REQUEST_ID);
        advance(Duration.ofMinutes(2));

        assertThat(keysOf(AggregatorTopology.FINISHED_STORE)).as("finished markers").isEmpty();
        assertThat(keysOf(AggregatorTopology.ROUND_STATE_STORE)).as("round states").isEmpty();
        assertThat(counters.deletedFinishedMarkers()).isEqualTo(1);
    }

    @Test
    void deletesClosedRoundAfterRetention() {
        driver.close();
        startDriver(AggregatorConfig.defaults().withStateRetention(Duration.ofMinutes(10)));
        List<Task> roundZero = roundZeroTasks(REQUEST_ID, "cpu", DEADLINE_MS);
        sendPlan(plan(roundZero, DEADLINE_MS, 3));
        roundZero.forEach(task -> sendResult(okResult(task, "worker-a")));
        assertThat(rounds.readValuesToList()).hasSize(1);

        advance(Duration.ofMinutes(9));
        assertThat(keysOf(AggregatorTopology.ROUND_STATE_STORE)).containsExactly(REQUEST_ID);
        advance(Duration.ofMinutes(2));
        assertThat(keysOf(AggregatorTopology.ROUND_STATE_STORE)).as("round states").isEmpty();
        assertThat(counters.deletedRoundStates()).isEqualTo(1);

        long nextDeadlineMs = wallClockMs() + ROUND_DURATION.toMillis();
        List<Task> roundOne = evaluateTasks(REQUEST_ID, 1, "cpu", nextDeadlineMs, "a8w8");
        sendPlan(plan(roundOne, nextDeadlineMs, 3));
        sendResult(okResult(roundOne.get(0), "worker-a"));
        assertThat(rounds.readValue().round()).isEqualTo(1);
    }

    @Test
    void keepsOpenRoundPastRetention() {
        driver.close();
        startDriver(AggregatorConfig.defaults().withStateRetention(Duration.ofMinutes(10)));
        long deadlineMs = START.plus(Duration.ofHours(2)).toEpochMilli();
        List<Task> tasks = roundZeroTasks(REQUEST_ID, "cpu", deadlineMs);
        sendPlan(plan(tasks, deadlineMs, 3));

        advance(Duration.ofMinutes(30));

        RoundState state = driver.<String, RoundState>getKeyValueStore(AggregatorTopology.ROUND_STATE_STORE)
                .get(REQUEST_ID);
        assertThat(state).isNotNull();
        assertThat(state.closed()).isFalse();
        assertThat(counters.deletedRoundStates()).isZero();
    }

    private void startDriver(AggregatorConfig config) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        driver = new TopologyTestDriver(AggregatorTopology.build(config, counters), properties, START);
        roundPlans = driver.createInputTopic(Topics.ROUND_PLANS, new StringSerializer(), new ByteArraySerializer());
        results = driver.createInputTopic(Topics.RESULTS, new StringSerializer(), new ByteArraySerializer());
        outcomes = driver.createInputTopic(Topics.OUTCOMES, new StringSerializer(), new ByteArraySerializer());
        rounds = driver.createOutputTopic(Topics.ROUNDS, new StringDeserializer(),
                new WireSerde<>(WireJson.ROUND_COMPLETED));
        cpuTasks = driver.createOutputTopic(CPU_TASKS, new StringDeserializer(), new WireSerde<>(WireJson.TASK));
        rocmTasks = driver.createOutputTopic(ROCM_TASKS, new StringDeserializer(), new WireSerde<>(WireJson.TASK));
    }

    private void sendPlan(RoundOpened plan) {
        roundPlans.pipeInput(plan.requestId(), bytes(plan), START);
    }

    private void sendResult(TaskResult result) {
        results.pipeInput(result.requestId(), bytes(result), START.plusSeconds(1));
    }

    private void sendOutcome(SearchOutcome outcome) {
        outcomes.pipeInput(outcome.requestId(), bytes(outcome), START.plusSeconds(2));
    }

    private static SearchOutcome completedOutcome(String requestId) {
        return new SearchOutcome(WireMessage.CURRENT_SCHEMA_VERSION, requestId, OutcomeStatus.COMPLETED, List.of(),
                false, null, List.of(), null, null, StopReason.STRATEGY_DONE, 2, 1_000L);
    }

    private <V> List<String> keysOf(String storeName) {
        KeyValueStore<String, V> store = driver.getKeyValueStore(storeName);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> iterator = store.all()) {
            iterator.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private void advance(Duration duration) {
        elapsedWallClockMs += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    private long wallClockMs() {
        return START.toEpochMilli() + elapsedWallClockMs;
    }

    private static byte[] bytes(WireMessage message) {
        return WireJson.toBytes(message);
    }
}
