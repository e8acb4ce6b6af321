package dev.quantfleet.deploychecks;

import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.worker.tasks.TaskProcessor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names and numbers that the deployment files must share with the code, each from the code
 * where the code has it as a constant, and otherwise with the source it restates.
 */
final class FleetNames {

    /** Quarkus SmallRye Health default paths; neither service's application.properties moves them (checked). */
    static final String LIVENESS_PATH = "/q/health/live";
    static final String READINESS_PATH = "/q/health/ready";
    static final String STARTUP_PATH = "/q/health/started";

    /** Quarkus Micrometer's default Prometheus path; neither service's application.properties moves it (checked). */
    static final String METRICS_PATH = "/q/metrics";

    /**
     * Time that a stopping worker may take beyond quantfleet.worker.shutdown-timeout: WorkerService.stop
     * waits 10 s more for the task loop ({@code loopThread.join(shutdownTimeout + 10_000)}), then
     * TaskProcessor.close waits up to {@link TaskProcessor#TERMINATION_GRACE} for a stopped task's runner.
     */
    static final Duration WORKER_SHUTDOWN_SLACK = Duration.ofSeconds(10).plus(TaskProcessor.TERMINATION_GRACE);

    /** The offset reset that TaskLoop gives the worker's consumer ({@code auto.offset.reset}) unless kafka.* overrides it. */
    static final String WORKER_OFFSET_RESET = "earliest";

    private FleetNames() {
    }

    /**
     * Returns every topic name constant of {@link Topics} except the task topic prefix: the
     * fleet's topics that exist once, whatever the pools are.
     */
    static Set<String> fleetTopics() {
        Set<String> topics = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && field.getType() == String.class
                    && !field.getName().equals("TASKS_PREFIX") && !field.getName().equals("DEFAULT_POOL")) {
                topics.add(constant(field));
            }
        }
        return topics;
    }

    /** Returns the fleet's topics plus the task topic of every pool. */
    static Set<String> allTopics(Set<String> pools) {
        Set<String> topics = new TreeSet<>(fleetTopics());
        pools.forEach(pool -> topics.add(Topics.tasks(pool)));
        return topics;
    }

    /** Returns the consumer group that WorkerService gives a pool's workers when quantfleet.worker.group-id is unset. */
    static String defaultWorkerGroup(String pool) {
        return "quantfleet-worker-" + pool;
    }

    private static String constant(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read Topics." + field.getName(), e);
        }
    }
}
