package dev.quantfleet.benchmarks;

import dev.quantfleet.worker.kafka.TaskEvents;
import dev.quantfleet.worker.kafka.TaskLoop;
import dev.quantfleet.worker.kafka.TaskLoopSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutionException;

/**
 * The workers of one pool in this JVM: one real {@link TaskLoop} per worker, each on its own thread
 * with its own consumer and producer, in the pool's consumer group {@code quantfleet-worker-<pool>},
 * with a {@link SleepingTaskProcessor} in place of the worker's {@code TaskProcessor}. The loop
 * settings are the worker service's defaults.
 */
final class SleepingWorkers implements AutoCloseable {

    /** The worker service's default {@code quantfleet.worker.poll-timeout}. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** The worker service's default {@code quantfleet.worker.shutdown-timeout}. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long CHECK_INTERVAL_MS = 100;
    private static final int MAX_ATTEMPTS = 1;

    private final String bootstrapServers;
    private final String groupId;
    private final List<TaskLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private SleepingWorkers(String bootstrapServers, String groupId) {
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
    }

    /**
     * Starts {@code count} workers named {@code <pool>-worker-1} and so on, and waits until the
     * consumer group is stable with a partition for each of them.
     *
     * @param executions where every processor records its task runs
     * @throws IllegalStateException when the group is not balanced within 60 s
     */
    static SleepingWorkers start(String bootstrapServers, String pool, int count, long sleepMs,
                                 Queue<SleepingTaskProcessor.Execution> executions) throws InterruptedException {
        SleepingWorkers workers = new SleepingWorkers(bootstrapServers, "quantfleet-worker-" + pool);
        try {
            for (int i = 1; i <= count; i++) {
                String workerId = pool + "-worker-" + i;
                TaskLoopSettings settings = new TaskLoopSettings(Map.of("bootstrap.servers", bootstrapServers), pool,
                        workers.groupId, workerId, MAX_ATTEMPTS, POLL_TIMEOUT, SHUTDOWN_TIMEOUT);
                TaskLoop loop = new TaskLoop(settings, new SleepingTaskProcessor(workerId, sleepMs, executions),
                        TaskEvents.none(), System::currentTimeMillis);
                Thread thread = new Thread(loop, "task-loop-" + workerId);
                workers.loops.add(loop);
                workers.threads.add(thread);
                thread.start();
            }
            workers.awaitBalancedGroup();
            return workers;
        } catch (RuntimeException | InterruptedException e) {
            workers.close();
            throw e;
        }
    }

    private void awaitBalancedGroup() throws InterruptedException {
        long deadlineNanos = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (!balanced(admin)) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException("Consumer group " + groupId + " did not become stable with a "
                            + "partition for each of its " + loops.size() + " workers within "
                            + START_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(CHECK_INTERVAL_MS);
            }
        }
    }

    private boolean balanced(Admin admin) throws InterruptedException {
        if (!loops.stream().allMatch(TaskLoop::isPolling)) {
            return false;
        }
        ConsumerGroupDescription description;
        try {
            description = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Describing consumer group " + groupId + " failed", e.getCause());
        }
        return description.groupState() == GroupState.STABLE && description.members().size() == loops.size()
                && description.members().stream().noneMatch(member -> member.assignment().topicPartitions().isEmpty());
    }

    /** Stops every loop, waiting for each thread up to the shutdown timeout. */
    @Override
    public void close() throws InterruptedException {
        loops.forEach(TaskLoop::close);
        for (Thread thread : threads) {
            thread.join(SHUTDOWN_TIMEOUT.toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " still runs " + SHUTDOWN_TIMEOUT.toSeconds()
                        + " s after it was told to stop");
            }
        }
    }
}
