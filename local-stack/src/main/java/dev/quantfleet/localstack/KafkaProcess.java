package dev.quantfleet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/**
 * A single-node KRaft Kafka broker ({@code kafka.Kafka}) in a child JVM on 127.0.0.1, for local
 * runs of the fleet.
 *
 * <p>Layout below the work directory: {@code kafka/server.properties}, {@code kafka/kraft-logs/}
 * (the broker's data) and {@code logs/kafka.log} (stdout and stderr of the broker). The data stays
 * after {@link #stop()}; a new start formats a new {@code kafka} directory and so needs a work
 * directory without one.
 */
public final class KafkaProcess implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final ChildProcess child;
    private final String bootstrapServers;
    private final Duration startupTimeout;

    private KafkaProcess(ChildProcess child, String bootstrapServers, Duration startupTimeout) {
        this.child = child;
        this.bootstrapServers = bootstrapServers;
        this.startupTimeout = startupTimeout;
    }

    /** Launches the broker with 512 MiB heap and waits until it responds to an admin request. */
    public static KafkaProcess start(Path workDirectory) {
        KafkaProcess kafka = launch(workDirectory, LaunchSettings.ofCurrentClasspath("512m"));
        kafka.awaitReady();
        return kafka;
    }

    /**
     * Formats the storage and launches the broker without waiting for it; call {@link
     * #awaitReady()} before use.
     */
    public static KafkaProcess launch(Path workDirectory, LaunchSettings settings) {
        NoisyLoggers.lowerToWarn();
        int brokerPort = LoopbackPorts.freePort();
        int controllerPort = LoopbackPorts.freePort();
        Path kafkaDirectory = workDirectory.resolve("kafka");
        if (Files.exists(kafkaDirectory)) {
            throw new LocalStackException("The Kafka directory " + kafkaDirectory + " exists from an earlier run, and a new"
                    + " broker needs empty storage; delete it or pass another work directory");
        }
        Properties properties = KafkaBrokerConfig.combinedNode(brokerPort, controllerPort, kafkaDirectory.resolve("kraft-logs"), Map.of());
        Path configFile = kafkaDirectory.resolve("server.properties");
        createDirectory(kafkaDirectory);
        KafkaBrokerConfig.write(properties, configFile);
        KafkaBrokerConfig.formatStorage(configFile);

        Path logFile = workDirectory.resolve("logs").resolve("kafka.log");
        ChildProcess child = ChildProcess.launch("kafka", settings, "kafka.Kafka", List.of(configFile.toAbsolutePath().toString()), logFile);
        return new KafkaProcess(child, LoopbackPorts.LOOPBACK_HOST + ":" + brokerPort, settings.startupTimeout());
    }

    /**
     * Waits until the broker responds to a describe-cluster request.
     *
     * @throws LocalStackException if the process exits or the start-up timeout passes first; the
     *     process is stopped and the message names the log file
     */
    public void awaitReady() {
        try (Admin admin = KafkaTopics.admin(bootstrapServers, PROBE_TIMEOUT)) {
            child.awaitReady(() -> KafkaTopics.brokerResponds(admin, PROBE_TIMEOUT), startupTimeout,
                    "Kafka broker responds to an admin request on " + bootstrapServers);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Returns the file that receives the broker's stdout and stderr. */
    public Path logFile() {
        return child.logFile();
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** Creates topics with {@code partitions} partitions and replication factor 1. */
    public void createTopics(int partitions, String... topicNames) {
        KafkaTopics.create(bootstrapServers, partitions, List.of(topicNames));
    }

    /** Sends SIGTERM and kills the broker if it has not exited within the stop grace period. */
    public void stop() {
        child.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create " + directory, e);
        }
    }
}
