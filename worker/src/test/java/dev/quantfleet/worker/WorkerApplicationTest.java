package dev.quantfleet.worker;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.Task;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.search.TaskKind;
import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.worker.testing.TinyFleet;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged worker: starts, reports ready, and publishes the result of a task sent to its pool's topic. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class WorkerApplicationTest {

    @TestHTTPResource("/q/health/ready")
    URL readiness;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    @Timeout(value = 45, unit = TimeUnit.SECONDS)
    void readyAndRunsATask() throws Exception {
        HttpResponse<String> ready = awaitReady();
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\": \"UP\"");

        String bootstrap = config("kafka.bootstrap.servers");
        try (ArtifactStore store = ArtifactStore.open(ArtifactStoreConfig.of(URI.create(
                config("quantfleet.worker.s3.endpoint")), EmbeddedS3.REGION, TinyFleet.BUCKET, TinyFleet.PREFIX,
                config("quantfleet.worker.s3.access-key-id"), config("quantfleet.worker.s3.secret-access-key")));
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                        new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                        "group.id", "quarkus-test-results", "auto.offset.reset", "earliest"),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
            Path inputs = Files.createTempDirectory("worker-app-test");
            TinyFleet.Inputs uploaded = TinyFleet.upload(store, inputs, 11);
            Task task = TinyFleet.roundZeroTask("req-app", TaskKind.BASELINE, uploaded.artifacts(), 1);
            producer.send(new ProducerRecord<>(Topics.tasks("cpu"), task.taskId(), WireJson.TASK.toBytes(task))).get();
            results.subscribe(List.of(Topics.RESULTS));

            TaskResult result = null;
            while (result == null) {
                for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(200))) {
                    result = WireJson.TASK_RESULT.fromBytes(record.value());
                }
            }

            assertThat(result.taskId()).isEqualTo(task.taskId());
            assertThat(result.status()).isEqualTo(EvaluationStatus.OK);
            assertThat(result.workerId()).isEqualTo("worker-quarkus-test");
            assertThat(store.exists(result.artifacts().referenceOutputs())).isTrue();
        }
        String metricsText = get(metrics).body();
        assertThat(metricsText).contains("quantfleet_worker_tasks_total{kind=\"BASELINE\",status=\"OK\"}");
        assertThat(metricsText).contains("quantfleet_worker_artifact_cache_misses_total");
    }

    private HttpResponse<String> awaitReady() throws Exception {
        HttpResponse<String> response = get(readiness);
        while (response.statusCode() != 200) {
            Thread.sleep(200);
            response = get(readiness);
        }
        return response;
    }

    private static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
