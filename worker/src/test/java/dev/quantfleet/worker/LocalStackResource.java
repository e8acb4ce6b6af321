package dev.quantfleet.worker;

import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.localstack.LocalStack;
import dev.quantfleet.worker.testing.TinyFleet;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts an in-process Kafka broker and S3 server for the application under test. */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        stack = LocalStack.start(TinyFleet.BUCKET);
        stack.kafka().createTopics(1, Topics.tasks("cpu"), Topics.RESULTS, Topics.TASKS_DLQ);
        return Map.of(
                "kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                "quantfleet.worker.id", "worker-quarkus-test",
                "quantfleet.worker.s3.endpoint", stack.s3().endpointUri().toString(),
                "quantfleet.worker.s3.access-key-id", stack.s3().accessKey(),
                "quantfleet.worker.s3.secret-access-key", stack.s3().secretKey(),
                "quantfleet.worker.s3.bucket", TinyFleet.BUCKET,
                "quantfleet.worker.s3.prefix", TinyFleet.PREFIX,
                "quantfleet.worker.cache.directory", "target/quarkus-test/cache",
                "quantfleet.worker.cache.work-directory", "target/quarkus-test/tasks");
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }
}
