package dev.quantfleet.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API on a running coordinator with an in-process Kafka and S3. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RequestResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> response = awaitHealth();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void unparsableRequestIs400WithReason() throws Exception {
        HttpResponse<String> response = post("{\"schemaVersion\":1,\"requestId\":\"r1\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("reasons").get(0).asText()).contains("QuantizationRequest");
    }

    @Test
    void unknownStrategyAndMetricAre400() throws Exception {
        HttpResponse<String> response = post(new String(WireJson.toBytes(request("r2", "annealing", "accuracy-ish")),
                StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode reasons = JSON.readTree(response.body()).path("reasons");
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0).asText()).contains("strategy 'annealing' is unknown");
        assertThat(reasons.get(1).asText()).contains("goal.metric").contains("accuracy-ish");
    }

    @Test
    void unknownRequestIs404() throws Exception {
        HttpResponse<String> response = get("requests/never-sent");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void missingTokenIs401() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve("requests")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void requestWithMissingArtifactsEndsRejected() throws Exception {
        HttpResponse<String> accepted = post(new String(WireJson.toBytes(request("r3", "auto", "cosine")),
                StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("requestId").asText()).isEqualTo("r3");

        JsonNode status = awaitState("r3", "REJECTED");

        assertThat(status.path("rejectionReasons").get(0).asText()).contains("missing from the artifact store");
        assertThat(get("requests/r3/report").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get("requests").body()).findValuesAsText("requestId")).contains("r3");
    }

    private JsonNode awaitState(String requestId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("requests/" + requestId);
            if (response.statusCode() == 200) {
                status = JSON.readTree(response.body());
                if (status.path("state").asText().equals(state)) {
                    return status;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Request " + requestId + " did not reach " + state + "; last status " + status);
    }

    private HttpResponse<String> awaitHealth() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response;
        do {
            response = http.send(HttpRequest.newBuilder(root.resolve("q/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return response;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(root.resolve("requests"))
                .header("Authorization", "Bearer " + LocalStackResource.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(root.resolve(path))
                .header("Authorization", "Bearer " + LocalStackResource.TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static QuantizationRequest request(String requestId, String strategy, String metric) {
        ArtifactRef missing = new ArtifactRef("quantfleet/sha256/" + "cd".repeat(32), "cd".repeat(32), 10);
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId,
                new ModelReference("m", "1", missing, List.of()), new DataReference(missing, "c.npy", null, null),
                new DataReference(missing, "e.npy", null, null), null, new RequestGoal(metric, null, 0.01, false, null),
                strategy, new RequestBudget(4, null, false), 1, "cpu", List.of(), "test", "rest", null);
    }
}
