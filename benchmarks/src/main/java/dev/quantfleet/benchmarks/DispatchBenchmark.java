package dev.quantfleet.benchmarks;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import dev.quantfleet.coordinator.kafka.KafkaFleetPublisher;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.localstack.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Measures how the fleet's dispatch scales with the number of workers, on tasks that only sleep,
 * so that the numbers show the fleet and not the processors: a real Kafka broker, the
 * coordinator's publisher sending each round plan and its tasks, real worker {@code TaskLoop}s
 * whose processor sleeps ({@link SleepingTaskProcessor}), and the real aggregator closing each
 * round. The coordinator's search logic is left out, because sleeping tasks carry no evaluation
 * to plan from.
 *
 * <p>For each of {@link #WORKER_COUNTS} workers: a new pool whose task topic has
 * {@code max(3, workers)} partitions, as {@code quantfleet quantize --workers N} creates it; one
 * warm-up round of one task per worker; then {@value #MEASURED_ROUNDS} rounds of
 * {@code workers * tasksPerWorker} tasks, each timed from the plan's publication to the
 * aggregator's {@code RoundCompleted}. The median round is reported against the ideal of
 * {@code workers / sleep} tasks per second.
 *
 * <p>Arguments: tasks per worker and round (default {@value #DEFAULT_TASKS_PER_WORKER}), sleep of
 * each task in milliseconds (default {@value #DEFAULT_SLEEP_MS}).
 */
public final class DispatchBenchmark {

    static final int DEFAULT_TASKS_PER_WORKER = 8;
    static final long DEFAULT_SLEEP_MS = 500;
    static final List<Integer> WORKER_COUNTS = List.of(1, 2, 4, 8, 16);
    static final int MEASURED_ROUNDS = 3;

    /** Partitions of the round plan, result and round topics; the coordinator's default. */
    private static final int SHARED_PARTITIONS = 3;
    private static final int MIN_TASK_PARTITIONS = 3;
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);
    private static final String PLACEHOLDER_SHA256 = "0".repeat(64);

    private DispatchBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int tasksPerWorker = arguments.length > 0 ? Integer.parseInt(arguments[0]) : DEFAULT_TASKS_PER_WORKER;
        long sleepMs = arguments.length > 1 ? Long.parseLong(arguments[1]) : DEFAULT_SLEEP_MS;

        BenchmarkReport report = new BenchmarkReport("dispatch.md", "Dispatch scaling of the fleet on tasks that sleep",
                1);
        report.add(String.format("Each task sleeps %d ms. Per worker count: %d warm-up round of one task per worker, "
                        + "then %d rounds of %d tasks per worker, timed from the round plan's publication to the "
                        + "aggregator's RoundCompleted. Task topic partitions: max(%d, workers). Worker loops: "
                        + "TaskLoop with poll timeout %d ms, in this JVM.", sleepMs, 1, MEASURED_ROUNDS,
                tasksPerWorker, MIN_TASK_PARTITIONS, SleepingWorkers.POLL_TIMEOUT.toMillis()));

        List<List<DispatchRound>> roundsByWorkerCount = new ArrayList<>();
        Path stateDirectory = Files.createTempDirectory(BenchmarkFolders.work(), "dispatch-aggregator-");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
            kafka.createTopics(SHARED_PARTITIONS, Topics.ROUND_PLANS, Topics.RESULTS, Topics.ROUNDS, Topics.TASKS_DLQ);
            try (InJvmAggregator aggregator = InJvmAggregator.start(kafka.bootstrapServers(), stateDirectory);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                         CoordinatorLoop.producerProperties(kafka.bootstrapServers()));
                 KeyedRecordWatcher watcher = new KeyedRecordWatcher(kafka.bootstrapServers(), Topics.ROUNDS)) {
                KafkaFleetPublisher publisher = new KafkaFleetPublisher(producer);
                for (int workers : WORKER_COUNTS) {
                    report.add("Load average before " + workers + " workers: " + MachineDescription.readLoadAverage()
                            + ".");
                    roundsByWorkerCount.add(measure(kafka, publisher, watcher, workers, tasksPerWorker, sleepMs));
                }
                report.add("Aggregator: " + aggregator.counters().completedRounds() + " rounds closed, "
                        + aggregator.counters().resentTasks() + " tasks re-sent, "
                        + aggregator.counters().ignoredResults() + " results ignored.");
            }
        }
        addScaling(report, roundsByWorkerCount);
        report.write();
    }

    /** Runs the rounds of one worker count and returns them sorted by wall time. */
    private static List<DispatchRound> measure(EmbeddedKafka kafka, KafkaFleetPublisher publisher,
                                               KeyedRecordWatcher watcher, int workers, int tasksPerWorker,
                                               long sleepMs) throws InterruptedException {
        String pool = "dispatch-" + workers;
        kafka.createTopics(Math.max(MIN_TASK_PARTITIONS, workers), Topics.tasks(pool));
        Queue<SleepingTaskProcessor.Execution> executions = new ConcurrentLinkedQueue<>();
        List<DispatchRound> rounds = new ArrayList<>();
        try (SleepingWorkers ignored = SleepingWorkers.start(kafka.bootstrapServers(), pool, workers, sleepMs,
                executions)) {
            runRound(publisher, watcher, pool + "-warm-up", pool, workers, workers, sleepMs, executions);
            for (int round = 1; round <= MEASURED_ROUNDS; round++) {
                DispatchRound measured = runRound(publisher, watcher, pool + "-round-" + round, pool, workers,
                        workers * tasksPerWorker, sleepMs, executions);
                System.out.printf("%d workers, round %d: %d tasks in %d ms, %.2f tasks/s, efficiency %.2f%n",
                        workers, round, measured.tasks(), measured.wallMs(), measured.tasksPerSecond(),
                        measured.efficiency());
                rounds.add(measured);
            }
        }
        rounds.sort((a, b) -> Long.compare(a.wallMs(), b.wallMs()));
        return rounds;
    }

    private static DispatchRound runRound(KafkaFleetPublisher publisher, KeyedRecordWatcher watcher, String requestId,
                                          String pool, int workers, int taskCount, long sleepMs,
                                          Queue<SleepingTaskProcessor.Execution> executions) {
        RoundOpened plan = RoundOpened.of(requestId, 1, tasks(requestId, pool, taskCount),
                System.currentTimeMillis() + ROUND_TIMEOUT.toMillis(), 1);
        long publishedMs = System.currentTimeMillis();
        publisher.publishRound(plan);
        long closedMs = watcher.await(requestId, ROUND_TIMEOUT);
        List<SleepingTaskProcessor.Execution> runs = executions.stream()
                .filter(run -> run.requestId().equals(requestId)).toList();
        if (runs.size() != taskCount) {
            throw new IllegalStateException("Round " + requestId + " closed after " + runs.size() + " of " + taskCount
                    + " task runs; a task ran twice or not at all, so the round does not measure dispatch");
        }
        return DispatchRound.of(workers, sleepMs, publishedMs, closedMs, runs);
    }

    /**
     * Returns {@code count} EVALUATE tasks of round 1 of {@code requestId}. Each has its own
     * configuration, so its own candidate and task id. The artifact references point nowhere,
     * because the sleeping processor reads none.
     */
    static List<Task> tasks(String requestId, String pool, int count) {
        ArtifactRef placeholder = new ArtifactRef("dispatch/sha256/" + PLACEHOLDER_SHA256, PLACEHOLDER_SHA256, 0);
        DataReference data = new DataReference(placeholder, "data.npy", null, null);
        TaskArtifacts artifacts = new TaskArtifacts(new ModelReference("sleep", "1", placeholder, List.of()), data,
                data, null, null, null);
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            QuantConfig config = QuantConfig.builder().nodesToExclude(List.of("sleep-" + i)).build();
            String candidateId = SearchIds.candidateId(config);
            tasks.add(new Task(WireMessage.CURRENT_SCHEMA_VERSION, SearchIds.taskId(requestId, 1, TaskKind.EVALUATE,
                    candidateId), requestId, 1, TaskKind.EVALUATE, candidateId, config, i, pool, artifacts, null, 1,
                    List.of(), null, null, new TaskSettings(1, false)));
        }
        return tasks;
    }

    /** Adds one row per worker count, of its median round, with the wall times of all its rounds. */
    private static void addScaling(BenchmarkReport report, List<List<DispatchRound>> roundsByWorkerCount) {
        report.add("## Throughput against the ideal (median of " + MEASURED_ROUNDS + " rounds)");
        MarkdownTable table = new MarkdownTable("Workers", "Partitions", "Tasks", "Round ms (all rounds)", "Tasks/s",
                "Ideal tasks/s", "Efficiency", "Busiest worker's tasks (mean)", "Balance bound",
                "Gap between a worker's tasks ms, median (max)", "Plan → first start ms", "Last finish → closed ms");
        for (List<DispatchRound> rounds : roundsByWorkerCount) {
            DispatchRound round = rounds.get(rounds.size() / 2);
            String wallTimes = String.join(", ", rounds.stream().map(each -> Long.toString(each.wallMs())).toList());
            double[] gaps = round.gapsMs().stream().mapToDouble(Long::doubleValue).toArray();
            String gap = gaps.length == 0 ? "–" : String.format("%.0f (%.0f)", Distribution.quantileOf(gaps, 0.5),
                    Distribution.quantileOf(gaps, 1));
            table.row(round.workers(), Math.max(MIN_TASK_PARTITIONS, round.workers()), round.tasks(),
                    round.wallMs() + " (" + wallTimes + ")",
                    String.format("%.2f", round.tasksPerSecond()), String.format("%.2f", round.idealTasksPerSecond()),
                    String.format("%.2f", round.efficiency()), String.format("%d (%.1f)", round.busiestWorkerTasks(),
                            round.tasks() / (double) round.workers()),
                    String.format("%.2f", round.balanceBound()), gap, round.firstStartMs(), round.closeMs());
        }
        report.add(table);
    }
}
