package dev.quantfleet.cli.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.WireJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's REST API: {@code POST /requests}, {@code GET /requests/{id}} and the
 * readiness check {@code GET /q/health/ready}. Every failure to reach the coordinator becomes a
 * {@link FleetException} that names the URL and the fix.
 */
public final class CoordinatorClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI baseUri;
    private final String token;
    private final HttpClient http;

    /**
     * @param baseUri the coordinator's root URL, e.g. {@code http://127.0.0.1:8080}
     * @param token   the bearer token the coordinator expects; null when its API is open
     */
    public CoordinatorClient(URI baseUri, String token) {
        this.baseUri = withoutTrailingSlash(baseUri);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public URI baseUri() {
        return baseUri;
    }

    /**
     * Submits {@code request} and returns its id.
     *
     * @throws RequestRejectedException when the coordinator responds with 400 and reasons
     * @throws FleetException           when it cannot be reached or responds with another error
     */
    public String submit(QuantizationRequest request) {
        HttpRequest post = builder("/requests").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.toBytes(request))).build();
        HttpResponse<String> response = send(post);
        if (response.statusCode() == 400) {
            throw new RequestRejectedException(request.requestId(), reasons(response.body()));
        }
        requireSuccess(response, "POST /requests");
        return request.requestId();
    }

    /**
     * Returns the status of request {@code requestId}.
     *
     * @throws FleetException when the request is unknown or the coordinator cannot be reached
     */
    public FleetStatus status(String requestId) {
        HttpResponse<String> response = send(builder("/requests/" + requestId).GET().build());
        if (response.statusCode() == 404) {
            throw new FleetException("Request '" + requestId + "' is unknown to the coordinator at " + baseUri
                    + "; check the id that 'quantfleet submit' printed (the coordinator keeps only recent requests)");
        }
        requireSuccess(response, "GET /requests/" + requestId);
        try {
            return JSON.readValue(response.body(), FleetStatus.class);
        } catch (JsonProcessingException e) {
            throw new FleetException("The coordinator at " + baseUri + " responded to GET /requests/" + requestId
                    + " with a body that is not a request status: " + e.getOriginalMessage(), e);
        }
    }

    /** Returns whether the coordinator's readiness check responds with 200; false while it is unreachable. */
    public boolean ready() {
        try {
            HttpRequest get = HttpRequest.newBuilder(baseUri.resolve("/q/health/ready")).timeout(CONNECT_TIMEOUT)
                    .GET().build();
            return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new FleetException("Cannot reach the coordinator at " + baseUri + " (connection refused); start it "
                    + "or pass its URL with --coordinator", e);
        } catch (HttpTimeoutException e) {
            throw new FleetException("The coordinator at " + baseUri + " did not respond to " + request.method() + " "
                    + request.uri().getPath() + " in time; check that it runs and is not overloaded", e);
        } catch (IOException e) {
            throw new FleetException("Cannot reach the coordinator at " + baseUri + ": " + e
                    + "; check --coordinator", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("Interrupted while waiting for the coordinator at " + baseUri, e);
        }
    }

    private void requireSuccess(HttpResponse<String> response, String call) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new FleetException("The coordinator at " + baseUri + " rejected " + call + " with HTTP " + status
                    + "; set its API token in the environment variable QUANTFLEET_TOKEN");
        }
        if (status < 200 || status > 299) {
            List<String> reasons = reasons(response.body());
            throw new FleetException("The coordinator at " + baseUri + " responded to " + call + " with HTTP " + status
                    + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
        }
    }

    /** Returns the {@code reasons} array of an error body, or the body itself when it has none. */
    private static List<String> reasons(String body) {
        List<String> reasons = new ArrayList<>();
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.path("reasons").isArray()) {
                node.path("reasons").forEach(reason -> reasons.add(reason.asText()));
            }
        } catch (JsonProcessingException e) {
            // Not JSON: the body is shown as it is below.
        }
        if (reasons.isEmpty() && body != null && !body.isBlank()) {
            reasons.add(body.strip());
        }
        return reasons;
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }
}
