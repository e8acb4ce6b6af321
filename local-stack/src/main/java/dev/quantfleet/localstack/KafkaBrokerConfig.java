package dev.quantfleet.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * Configuration and storage formatting of a single-node KRaft Kafka broker on 127.0.0.1.
 *
 * <p>The node is broker and controller at once (node id 1, static voter set {@code
 * 1@127.0.0.1:controllerPort}). Internal topics have replication factor 1 and min ISR 1 so that
 * consumer groups and transactions (exactly-once) work on one node.
 */
final class KafkaBrokerConfig {

    static final int NODE_ID = 1;

    private KafkaBrokerConfig() {
    }

    /** Returns the broker properties; {@code overrides} replace or add single properties. */
    static Properties combinedNode(int brokerPort, int controllerPort, Path logDirectory, Map<String, String> overrides) {
        String host = LoopbackPorts.LOOPBACK_HOST;
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", Integer.toString(NODE_ID));
        properties.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        properties.setProperty("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        properties.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.setProperty("log.dirs", logDirectory.toAbsolutePath().toString());
        properties.setProperty("num.partitions", "1");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("offsets.topic.num.partitions", "1");
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("transaction.state.log.num.partitions", "1");
        properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
        properties.setProperty("share.coordinator.state.topic.min.isr", "1");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        overrides.forEach(properties::setProperty);
        return properties;
    }

    /** Writes {@code properties} to {@code configFile}, the file that {@code kafka.Kafka} reads. */
    static void write(Properties properties, Path configFile) {
        try (OutputStream out = Files.newOutputStream(configFile)) {
            properties.store(out, "Single-node KRaft broker written by quantfleet-local-stack");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the Kafka configuration " + configFile, e);
        }
    }

    /**
     * Formats the empty log directories named in {@code configFile} with a new random cluster id,
     * as {@code kafka-storage.sh format} does.
     *
     * @throws LocalStackException if the storage tool exits with a non-zero code; the message
     *     contains the tool's output
     */
    static void formatStorage(Path configFile) {
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            String[] arguments = {"format", "--cluster-id", clusterId, "--config", configFile.toString()};
            exitCode = StorageTool.execute(arguments, printStream);
        }
        if (exitCode != 0) {
            throw new LocalStackException("Kafka storage format of " + configFile + " failed with exit code "
                    + exitCode + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
