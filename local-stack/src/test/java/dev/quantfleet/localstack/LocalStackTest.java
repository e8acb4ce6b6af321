package dev.quantfleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

class LocalStackTest {

    @Test
    void shouldStartKafkaAndS3WithBuckets(@TempDir Path kafkaDirectory) {
        EmbeddedKafka.Builder kafkaBuilder = EmbeddedKafka.builder().dataDirectory(kafkaDirectory.resolve("broker"));
        EmbeddedS3.Builder s3Builder = EmbeddedS3.builder().bucket("models").bucket("reports");

        try (LocalStack stack = LocalStack.start(kafkaBuilder, s3Builder);
                S3Client client = EmbeddedS3Test.client(stack.s3().endpoint())) {
            stack.kafka().createTopics(2, "requests", "results");

            assertThat(stack.kafka().bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(client.listBuckets().buckets()).extracting(Bucket::name).containsExactlyInAnyOrder("models", "reports");
            assertThat(kafkaDirectory.resolve("broker/server.properties")).exists();
        }

        // A broker with a given data directory keeps its data after close.
        assertThat(kafkaDirectory.resolve("broker/kraft-logs")).isDirectory();
    }
}
