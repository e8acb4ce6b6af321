package dev.quantfleet.cli.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.WireJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The coordinator's REST API: {@code POST /requests}, {@code GET /requests/{id}}, the server-sent
 * events of {@code GET /requests/{id}/events} and the readiness check {@code GET /q/health/ready}.
 * Every failure to reach the coordinator becomes a {@link FleetException} that names the URL and
 * the fix.
 */
public final class CoordinatorClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String EVENT_STREAM = "text/event-stream";
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
        return parseStatus(response.body(), "GET /requests/" + requestId);
    }

    /**
     * Opens {@code GET /requests/{id}/events} and passes each status to {@code onStatus} until the
     * stream ends. Returns the last status received, or null when the stream ended before any.
     * The caller decides from the last status whether the stream ended with the request or was
     * dropped.
     *
     * @throws EventsUnavailableException when the coordinator has no events endpoint
     * @throws FleetException             when the request is unknown, the coordinator cannot be
     *                                    reached, or the connection fails while reading
     */
    public FleetStatus streamStatus(String requestId, Consumer<FleetStatus> onStatus) {
        String path = "/requests/" + requestId + "/events";
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + path))
                .header("Accept", EVENT_STREAM);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpResponse<Stream<String>> response = sendForLines(builder.GET().build());
        try (Stream<String> lines = response.body()) {
            requireEventStream(response, requestId, path);
            ServerSentEvents events = new ServerSentEvents();
            FleetStatus[] last = new FleetStatus[1];
            lines.forEach(line -> events.accept(line).ifPresent(data -> {
                last[0] = parseStatus(data, "GET " + path);
                onStatus.accept(last[0]);
            }));
            return last[0];
        } catch (UncheckedIOException e) {
            throw new FleetException("The event stream of request " + requestId + " from the coordinator at " + baseUri
                    + " broke: " + e.getCause(), e.getCause());
        }
    }

    private void requireEventStream(HttpResponse<Stream<String>> response, String requestId, String path) {
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status == 200 && contentType.startsWith(EVENT_STREAM)) {
            return;
        }
        String body = status == 200 ? "" : response.body().collect(Collectors.joining("\n"));
        List<String> reasons = reasons(body);
        if (status == 404 && reasons.stream().anyMatch(reason -> reason.contains("is unknown"))) {
            throw new FleetException("Request '" + requestId + "' is unknown to the coordinator at " + baseUri
                    + "; check the id that 'quantfleet submit' printed (the coordinator keeps only recent requests)");
        }
        if (status == 401 || status == 403) {
            throw new FleetException("The coordinator at " + baseUri + " rejected GET " + path + " with HTTP " + status
                    + "; set its API token in the environment variable QUANTFLEET_TOKEN");
        }
        if (status == 200 || status == 404 || status == 405 || status == 406) {
            throw new EventsUnavailableException("GET " + path + " responded with HTTP " + status
                    + (status == 200 ? " and Content-Type '" + contentType + "'" : ""));
        }
        throw new FleetException("The coordinator at " + baseUri + " responded to GET " + path + " with HTTP " + status
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
    }

    private HttpResponse<Stream<String>> sendForLines(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("Interrupted while waiting for the coordinator at " + baseUri, e);
        }
    }

    private FleetStatus parseStatus(String json, String call) {
        try {
            return JSON.readValue(json, FleetStatus.class);
        } catch (JsonProcessingException e) {
            throw new FleetException("The coordinator at " + baseUri + " responded to " + call
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
        } catch (IOException e) {
            throw unreachable(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("Interrupted while waiting for the coordinator at " + baseUri, e);
        }
    }

    private FleetException unreachable(HttpRequest request, IOException e) {
        if (e instanceof ConnectException) {
            return new FleetException("Cannot reach the coordinator at " + baseUri + " (connection refused); start it "
                    + "or pass its URL with --coordinator", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new FleetException("The coordinator at " + baseUri + " did not respond to " + request.method() + " "
                    + request.uri().getPath() + " in time; check that it runs and is not overloaded", e);
        }
        return new FleetException("Cannot reach the coordinator at " + baseUri + ": " + e + "; check --coordinator", e);
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
