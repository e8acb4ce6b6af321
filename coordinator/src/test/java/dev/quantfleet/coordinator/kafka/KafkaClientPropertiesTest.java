package dev.quantfleet.coordinator.kafka;

import dev.quantfleet.common.topics.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientPropertiesTest {

    private static final Map<String, Object> QUARKUS_KAFKA = Map.of(
            "bootstrap.servers", "ignored:9092",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "isolation.level", "read_uncommitted",
            "enable.idempotence", "false",
            "health.enabled", "true",
            "snappy.enabled", "false");

    @Test
    void keepsSecuritySettingsAndBootstrapServers() {
        Map<String, Object> client = KafkaClientProperties.fromQuarkus(QUARKUS_KAFKA, "broker-0:9093");

        assertThat(client)
                .containsEntry("bootstrap.servers", "broker-0:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKeys("health.enabled", "snappy.enabled");
    }

    @Test
    void loopSettingsOverrideSharedOnes() {
        Map<String, Object> client = KafkaClientProperties.fromQuarkus(QUARKUS_KAFKA, "broker-0:9093");

        Map<String, Object> consumer = CoordinatorLoop.consumerProperties(client);
        Map<String, Object> producer = CoordinatorLoop.producerProperties(client);

        assertThat(consumer).containsEntry("isolation.level", "read_committed")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(producer).containsEntry("enable.idempotence", true)
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", "broker-0:9093");
    }

    @Test
    void adminGetsOnlyAdminSettings() {
        Map<String, Object> admin = KafkaClientProperties.forAdmin(
                KafkaClientProperties.fromQuarkus(QUARKUS_KAFKA, "broker-0:9093"));

        assertThat(admin).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "broker-0:9093")
                .doesNotContainKeys("isolation.level", "enable.idempotence");
    }

    @Test
    void topicsIncludeDeadLetterTopic() {
        assertThat(FleetTopics.names(List.of("cpu"))).contains(Topics.TASKS_DLQ, Topics.tasks("cpu"));
    }
}
