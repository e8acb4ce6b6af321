package dev.quantfleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class LocalStackProcessTest {

    @Test
    void shouldStartReportEndpointsAndStop(@TempDir Path workDirectory) throws Exception {
        LocalStackProcess stack = LocalStackProcess.start(workDirectory, List.of("artifacts"));
        KafkaProcess kafka = stack.kafka();
        S3Process s3 = stack.s3();
        try {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(s3.endpoint().endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(kafka.logFile()).isEqualTo(workDirectory.resolve("logs/kafka.log"));
            assertThat(s3.logFile()).isEqualTo(workDirectory.resolve("logs/s3.log"));

            kafka.createTopics(1, "jobs");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("jobs");
            }
            try (S3Client client = EmbeddedS3Test.client(s3.endpoint())) {
                client.putObject(b -> b.bucket("artifacts").key("k"), RequestBody.fromString("zero point"));
                assertThat(client.getObjectAsBytes(b -> b.bucket("artifacts").key("k")).asString(StandardCharsets.UTF_8))
                        .isEqualTo("zero point");
            }
        } finally {
            stack.close();
        }

        assertThat(kafka.isAlive()).isFalse();
        assertThat(s3.isAlive()).isFalse();
        assertThat(kafka.logFile()).content().contains("Kafka Server started");
    }

    @Test
    void shouldStopChildThatMissesStartupTimeout(@TempDir Path workDirectory) {
        LaunchSettings settings = LaunchSettings.ofCurrentClasspath("256m").withStartupTimeout(Duration.ofMillis(1));
        S3Process s3 = S3Process.launch(workDirectory, settings, "key", "secret");

        assertThatThrownBy(s3::awaitReady)
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("The s3 process did not become ready")
                .hasMessageContaining("within PT0.001S and was stopped")
                .hasMessageContaining(workDirectory.resolve("logs/s3.log").toString());
        assertThat(s3.isAlive()).isFalse();
    }

    @Test
    void shouldRejectWorkDirectoryOfEarlierBroker(@TempDir Path workDirectory) throws Exception {
        Files.createDirectories(workDirectory.resolve("kafka"));

        assertThatThrownBy(() -> KafkaProcess.launch(workDirectory, LaunchSettings.ofCurrentClasspath("512m")))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("exists from an earlier run");
    }

    @Test
    void shouldNameLogFileWhenChildExitsEarly(@TempDir Path workDirectory) {
        LaunchSettings brokenClasspath = new LaunchSettings(workDirectory.toString(), List.of(), Duration.ofSeconds(20), Duration.ofSeconds(5));

        assertThatThrownBy(() -> S3Process.launch(workDirectory, brokenClasspath, "key", "secret").awaitReady())
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("The s3 process exited with code 1")
                .hasMessageContaining(workDirectory.resolve("logs/s3.log").toString())
                .hasMessageContaining("org.gaul.s3proxy.Main");
    }
}
