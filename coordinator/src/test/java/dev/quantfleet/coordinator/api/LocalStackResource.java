package dev.quantfleet.coordinator.api;

import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts an in-process Kafka and S3 for a {@code @QuarkusTest} and points the coordinator at them. */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    static final String BUCKET = "quantfleet-api";
    static final String TOKEN = "api-test-token";

    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        stack = LocalStack.start(BUCKET);
        EmbeddedS3 s3 = stack.s3();
        return Map.of(
                "kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                "quarkus.kafka-streams.bootstrap-servers", stack.kafka().bootstrapServers(),
                "quantfleet.s3.endpoint", s3.endpointUri().toString(),
                "quantfleet.s3.bucket", BUCKET,
                "quantfleet.s3.access-key-id", s3.accessKey(),
                "quantfleet.s3.secret-access-key", s3.secretKey(),
                "quantfleet.api.token", TOKEN,
                "quantfleet.kafka.partitions", "1");
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }
}
