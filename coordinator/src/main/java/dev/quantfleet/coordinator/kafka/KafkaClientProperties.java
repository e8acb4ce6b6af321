package dev.quantfleet.coordinator.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings every Kafka client of the coordinator shares: the bootstrap servers and what a
 * secured cluster needs (e.g. {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}). The loops add their own settings on
 * top, and those win: a shared setting cannot turn read_committed or idempotence off.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** Returns only the bootstrap servers, for a broker without authentication. */
    public static Map<String, Object> of(String bootstrapServers) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /**
     * Returns the Quarkus {@code kafka.*} settings (as the Kafka client extension collects them,
     * without the prefix) that a client takes, with {@code bootstrapServers} in place of theirs.
     * The extension's own keys ({@code health.*}, {@code snappy.*}, {@code devservices.*}) are left out.
     */
    public static Map<String, Object> fromQuarkus(Map<String, Object> kafkaConfig, String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (!key.startsWith("health") && !key.startsWith("snappy") && !key.startsWith("devservices")) {
                properties.put(key, value);
            }
        });
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /** Returns the shared settings that an admin client takes. */
    public static Map<String, Object> forAdmin(Map<String, Object> clientProperties) {
        Map<String, Object> properties = new HashMap<>();
        clientProperties.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                properties.put(key, value);
            }
        });
        return properties;
    }
}
