package dev.quantfleet.localstack;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Admin-client operations shared by {@link EmbeddedKafka} and {@link KafkaProcess}. */
final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {
    }

    static Admin admin(String bootstrapServers, Duration requestTimeout) {
        int timeoutMs = Math.toIntExact(requestTimeout.toMillis());
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    /** Returns whether the broker responds to a describe-cluster request with at least one node. */
    static boolean brokerResponds(Admin admin, Duration requestTimeout) {
        int timeoutMs = Math.toIntExact(requestTimeout.toMillis());
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Kafka broker not ready yet: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    static void create(String bootstrapServers, int partitions, List<String> topicNames) {
        List<NewTopic> topics = topicNames.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        create(bootstrapServers, topics);
    }

    static void create(String bootstrapServers, Collection<NewTopic> topics) {
        try (Admin admin = admin(bootstrapServers, ADMIN_TIMEOUT)) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LocalStackException("Failed to create the topics " + topics + " on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while creating the topics " + topics, e);
        }
    }
}
