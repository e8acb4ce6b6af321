package dev.quantfleet.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker running inside this JVM, listening on 127.0.0.1 only.
 *
 * <p>Start with {@link #start()} or {@link #builder()}, stop with {@link #close()} (in a finally
 * block or try-with-resources). The broker supports consumer groups and transactions
 * (exactly-once), see {@link KafkaBrokerConfig} for the configuration. Unless a data directory is
 * given, the logs live in a temporary directory that {@link #close()} deletes.
 *
 * <p>A broker inside a JVM that also runs other Kafka code needs the same Kafka version (4.1.2)
 * on the classpath.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDirectory;
    private final boolean deleteDataDirectory;
    private boolean stopped;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDirectory, boolean deleteDataDirectory) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDirectory = dataDirectory;
        this.deleteDataDirectory = deleteDataDirectory;
    }

    /** Starts a broker with the default settings (temporary data directory, 30 s start-up timeout). */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the {@code bootstrap.servers} value of this broker, for example {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics with {@code partitions} partitions and replication factor 1. */
    public void createTopics(int partitions, String... topicNames) {
        KafkaTopics.create(bootstrapServers, partitions, List.of(topicNames));
    }

    /** Creates the given topics; their replication factor must be 1 (or unset). */
    public void createTopics(Collection<NewTopic> topics) {
        KafkaTopics.create(bootstrapServers, topics);
    }

    /** Stops the broker, waits for its threads to end and deletes a temporary data directory. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long startNanos = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirectory) {
                Directories.deleteRecursively(dataDirectory);
            }
        }
        LOG.info("Stopped the embedded Kafka broker {} in {} ms", bootstrapServers, elapsedMs(startNanos));
    }

    @Override
    public void close() {
        stop();
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Settings of an {@link EmbeddedKafka} broker. */
    public static final class Builder {

        private Path dataDirectory;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Keeps the broker's logs in {@code directory} (must be empty or absent) instead of a temporary directory. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Sets the maximum time from start until the broker responds to an admin request. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Adds or replaces one broker property, for example {@code auto.create.topics.enable=false}. */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(name, value);
            return this;
        }

        /**
         * Formats the storage, starts the broker and waits until it responds to an admin request.
         *
         * @throws LocalStackException if the broker does not respond within the start-up timeout;
         *     the broker is stopped and a temporary data directory deleted before this is thrown
         */
        public EmbeddedKafka start() {
            NoisyLoggers.lowerToWarn();
            long startNanos = System.nanoTime();
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Directories.createTemp("quantfleet-kafka-") : Directories.create(dataDirectory);
            KafkaRaftServer server = null;
            try {
                int brokerPort = LoopbackPorts.freePort();
                int controllerPort = LoopbackPorts.freePort();
                Path logDirectory = directory.resolve("kraft-logs");
                Properties properties = KafkaBrokerConfig.combinedNode(brokerPort, controllerPort, logDirectory, brokerProperties);
                Path configFile = directory.resolve("server.properties");
                KafkaBrokerConfig.write(properties, configFile);
                KafkaBrokerConfig.formatStorage(configFile);

                server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
                server.startup();
                String bootstrapServers = LoopbackPorts.LOOPBACK_HOST + ":" + brokerPort;
                awaitBroker(bootstrapServers);
                EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrapServers, directory, temporary);
                LOG.info("Started the embedded Kafka broker {} in {} ms", bootstrapServers, elapsedMs(startNanos));
                return kafka;
            } catch (RuntimeException e) {
                stopAfterFailedStart(server, directory, temporary, e);
                throw e;
            }
        }

        private void awaitBroker(String bootstrapServers) {
            try (Admin admin = KafkaTopics.admin(bootstrapServers, PROBE_TIMEOUT)) {
                if (!Readiness.poll(() -> KafkaTopics.brokerResponds(admin, PROBE_TIMEOUT), startupTimeout)) {
                    throw new LocalStackException("The embedded Kafka broker " + bootstrapServers
                            + " did not respond to an admin request within " + startupTimeout
                            + "; read the WARN and ERROR lines of the kafka and org.apache.kafka loggers, or raise startupTimeout");
                }
            }
        }

        private static void stopAfterFailedStart(KafkaRaftServer server, Path directory, boolean temporary, RuntimeException failure) {
            try {
                if (server != null) {
                    server.shutdown();
                    server.awaitShutdown();
                }
                if (temporary) {
                    Directories.deleteRecursively(directory);
                }
            } catch (RuntimeException cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
        }
    }
}
