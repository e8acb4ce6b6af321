package dev.quantfleet.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.OutcomeWinner;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.coordinator.promotion.PromotedArtifacts;
import dev.quantfleet.coordinator.search.StatusBoard;
import dev.quantfleet.coordinator.service.CoordinatorService;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.StopReason;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API on a running coordinator with an in-process Kafka and S3. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RequestResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @Inject
    CoordinatorService service;

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

    @Test
    void completedStatusListsPromotedFiles() throws Exception {
        String folder = "quantfleet/quantized/m/1/r-done/";
        ArtifactRef model = new ArtifactRef(folder + "model.onnx", "a1".repeat(32), 1_234);
        ArtifactRef reportJson = new ArtifactRef(folder + "report.json", "b2".repeat(32), 567);
        ArtifactRef reportHtml = new ArtifactRef(folder + "report.html", "c3".repeat(32), 890);
        finishRequest("r-done", new PromotedArtifacts(model, reportJson, reportHtml));

        HttpResponse<String> response = get("requests/r-done");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.path("state").asText()).isEqualTo("COMPLETED");
        JsonNode promoted = status.path("promoted");
        assertStoredArtifact(promoted.path("model"), model);
        assertStoredArtifact(promoted.path("reportJson"), reportJson);
        assertStoredArtifact(promoted.path("reportHtml"), reportHtml);
        assertThat(status.path("report").path("key").asText()).isEqualTo(reportJson.key());
    }

    @Test
    void completedWithoutWinnerHasNoModel() throws Exception {
        ArtifactRef reportJson = new ArtifactRef("quantfleet/quantized/m/1/r-nowin/report.json", "d4".repeat(32), 5);
        finishRequest("r-nowin", new PromotedArtifacts(null, reportJson, null));

        JsonNode promoted = JSON.readTree(get("requests/r-nowin").body()).path("promoted");

        assertThat(promoted.path("model").isNull()).as("model of %s", promoted).isTrue();
        assertThat(promoted.path("reportJson").path("key").asText()).isEqualTo(reportJson.key());
    }

    @Test
    void runningStatusHasNoPromotedFiles() throws Exception {
        service.board().onReceived("r-running", System.currentTimeMillis());
        service.board().onStarted("r-running");

        JsonNode status = JSON.readTree(get("requests/r-running").body());

        assertThat(status.path("state").asText()).isEqualTo("RUNNING");
        assertThat(status.path("promoted").isNull()).as("promoted of %s", status).isTrue();
    }

    @Test
    void eventsOfFinishedRequestEndWithItsStatus() throws Exception {
        ArtifactRef reportJson = new ArtifactRef("quantfleet/quantized/m/1/r-events/report.json", "e5".repeat(32), 9);
        finishRequest("r-events", new PromotedArtifacts(null, reportJson, null));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve("requests/r-events/events"))
                .header("Authorization", "Bearer " + LocalStackResource.TOKEN).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        List<String> data = response.body().lines().filter(line -> line.startsWith("data:")).toList();
        assertThat(data).isNotEmpty();
        JsonNode last = JSON.readTree(data.get(data.size() - 1).substring("data:".length()));
        assertThat(last.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(last.path("promoted").path("reportJson").path("key").asText()).isEqualTo(reportJson.key());
    }

    @Test
    void eventsOfUnknownRequestIs404() throws Exception {
        HttpResponse<String> response = get("requests/never-sent/events");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Request never-sent is unknown");
    }

    @Test
    void openApiDescribesPromotedFiles() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve("q/openapi?format=json"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode openApi = JSON.readTree(response.body());
        JsonNode schemas = openApi.path("components").path("schemas");
        assertThat(schemas.path("RequestStatus").path("properties").has("promoted")).isTrue();
        assertThat(fieldNames(schemas.path("PromotedFiles").path("properties")))
                .containsExactlyInAnyOrder("model", "reportJson", "reportHtml");
        assertThat(fieldNames(schemas.path("StoredArtifact").path("properties")))
                .containsExactlyInAnyOrder("bucket", "key", "sha256", "sizeBytes");
        JsonNode statusOperation = openApi.path("paths").path("/requests/{id}").path("get");
        assertThat(statusOperation.path("summary").asText()).isEqualTo("Returns the status of one request");
        assertThat(statusOperation.path("description").asText()).contains("promoted");
        assertThat(openApi.path("paths").path("/requests/{id}/events").path("get").path("responses").has("404"))
                .isTrue();
    }

    /** Puts a COMPLETED request with {@code promoted} on the board, as the search loop does at its end. */
    private void finishRequest(String requestId, PromotedArtifacts promoted) {
        StatusBoard board = service.board();
        board.onReceived(requestId, System.currentTimeMillis());
        board.onStarted(requestId);
        board.onPromoted(requestId, promoted);
        QuantConfig config = Presets.byName("a8w8");
        OutcomeWinner winner = promoted.model() == null ? null : new OutcomeWinner(SearchIds.candidateId(config),
                config, new TreeMap<>(Map.of("cosine", 0.999)), new Cost(1_234L, 0.9, null));
        board.onOutcome(new SearchOutcome(WireMessage.CURRENT_SCHEMA_VERSION, requestId, OutcomeStatus.COMPLETED,
                List.of(), winner != null, winner, List.of(), promoted.model(), promoted.reportJson(),
                StopReason.STRATEGY_DONE, 1, 10));
    }

    private static void assertStoredArtifact(JsonNode node, ArtifactRef expected) {
        assertThat(node.path("bucket").asText()).as("bucket of %s", node).isEqualTo(LocalStackResource.BUCKET);
        assertThat(node.path("key").asText()).as("key of %s", node).isEqualTo(expected.key());
        assertThat(node.path("sha256").asText()).as("sha256 of %s", node).isEqualTo(expected.sha256());
        assertThat(node.path("sizeBytes").asLong()).as("sizeBytes of %s", node).isEqualTo(expected.sizeBytes());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
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
