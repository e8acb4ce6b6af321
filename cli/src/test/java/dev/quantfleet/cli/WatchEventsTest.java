package dev.quantfleet.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quantfleet.cli.fleet.CoordinatorClient;
import dev.quantfleet.cli.fleet.FleetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code watch} against a coordinator stand-in on 127.0.0.1 that breaks its event stream or has
 * none, which the real coordinator does not do on purpose. {@code FleetClientCommandsTest} runs
 * {@code watch} against the real coordinator.
 */
class WatchEventsTest {

    private static final String REQUEST_ID = "cli-watch-1";

    private HttpServer server;
    private String url;
    private final AtomicInteger eventConnections = new AtomicInteger();
    private final AtomicInteger statusCalls = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        EnvironmentVariables.replaceForTests(Map.of());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        EnvironmentVariables.replaceForTests(null);
    }

    @Test
    void reconnectsAfterDroppedStream() {
        server.createContext("/requests/" + REQUEST_ID + "/events", exchange -> {
            if (eventConnections.incrementAndGet() == 1) {
                // The first stream breaks off after round 0, as a dropped connection does.
                sendEvents(exchange, List.of(status("RUNNING", 0, 1, 2)));
            } else {
                sendEvents(exchange, List.of(status("RUNNING", 1, 0, 3), status("RUNNING", 1, 3, 3),
                        status("COMPLETED", 1, 3, 3)));
            }
        });
        server.createContext("/requests/" + REQUEST_ID, exchange -> sendJson(exchange, status("RUNNING", 0, 0, 2)));
        server.start();

        CliRun run = CliRun.run("watch", REQUEST_ID, "--coordinator", url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(eventConnections.get()).isEqualTo(2);
        assertThat(run.err()).contains("The event stream of request " + REQUEST_ID
                + " ended before the request did; reconnecting");
        assertThat(run.err()).contains("Round 0: 2/2 tasks done", "Round 1: 3/3 tasks done");
        assertThat(run.err()).doesNotContain("checking the status every");
        assertThat(run.out()).contains("State:        COMPLETED");
    }

    @Test
    void pollsCoordinatorWithoutEvents() {
        server.createContext("/requests/" + REQUEST_ID, exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/events")) {
                eventConnections.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            boolean finished = statusCalls.incrementAndGet() >= 3;
            sendJson(exchange, finished ? status("COMPLETED", 1, 3, 3) : status("RUNNING", 1, 1, 3));
        });
        server.start();

        CliRun run = CliRun.run("watch", REQUEST_ID, "--coordinator", url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(eventConnections.get()).isEqualTo(1);
        assertThat(statusCalls.get()).isEqualTo(3);
        assertThat(run.err()).contains("The coordinator at " + url + " sends no events (GET /requests/" + REQUEST_ID
                + "/events responded with HTTP 404); checking the status every 250 ms instead");
        assertThat(run.out()).contains("State:        COMPLETED");
    }

    @Test
    void failsWhenCoordinatorStaysAway() {
        server.createContext("/requests/" + REQUEST_ID + "/events", exchange -> {
            eventConnections.incrementAndGet();
            sendEvents(exchange, List.of(status("RUNNING", 0, 0, 2)));
            new Thread(() -> server.stop(0), "stop-coordinator-stand-in").start();
        });
        server.createContext("/requests/" + REQUEST_ID, exchange -> sendJson(exchange, status("RUNNING", 0, 0, 2)));
        server.start();
        List<String> notes = new ArrayList<>();
        StringWriter progress = new StringWriter();

        assertThatThrownBy(() -> RequestWatch.awaitEnd(new CoordinatorClient(URI.create(url), null), REQUEST_ID,
                new FleetProgress(new PrintWriter(progress), false), notes::add, () -> false, Duration.ofSeconds(2)))
                .isInstanceOf(FleetException.class)
                .hasMessageContaining("Cannot reach the coordinator at " + url + " (connection refused)");
        assertThat(eventConnections.get()).isEqualTo(1);
        assertThat(notes).first().asString().contains("ended before the request did; reconnecting");
        assertThat(notes).anySatisfy(note -> assertThat(note).contains("reconnecting in 500 ms"));
    }

    @Test
    void stopsReconnectingWhenFleetStopped() {
        server.createContext("/requests/" + REQUEST_ID + "/events", exchange -> {
            eventConnections.incrementAndGet();
            sendEvents(exchange, List.of(status("RUNNING", 0, 0, 2)));
            new Thread(() -> server.stop(0), "stop-coordinator-stand-in").start();
        });
        server.createContext("/requests/" + REQUEST_ID, exchange -> sendJson(exchange, status("RUNNING", 0, 0, 2)));
        server.start();
        List<String> notes = new ArrayList<>();

        assertThatThrownBy(() -> RequestWatch.awaitEnd(new CoordinatorClient(URI.create(url), null), REQUEST_ID,
                new FleetProgress(new PrintWriter(new StringWriter()), false), notes::add, () -> true,
                Duration.ofMinutes(5)))
                .isInstanceOf(FleetException.class)
                .hasMessageContaining("Cannot reach the coordinator at " + url);
        assertThat(notes).noneSatisfy(note -> assertThat(note).contains("reconnecting in"));
    }

    private static String status(String state, int round, int tasksDone, int tasksTotal) {
        return "{\"requestId\":\"" + REQUEST_ID + "\",\"state\":\"" + state + "\",\"round\":" + round
                + ",\"tasksDone\":" + tasksDone + ",\"tasksTotal\":" + tasksTotal + ",\"trials\":" + (2 * round)
                + ",\"bestCandidateId\":null,\"metric\":\"cosine\",\"bestMetric\":null,\"bestAcceptable\":"
                + state.equals("COMPLETED") + ",\"report\":null,\"rejectionReasons\":[],\"promoted\":null}";
    }

    private static void sendEvents(HttpExchange exchange, List<String> statuses) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            for (String status : statuses) {
                body.write(("data:" + status + "\n\n").getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
        }
    }

    private static void sendJson(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }
}
