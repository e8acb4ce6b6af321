package dev.quantfleet.cli.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fleet service (coordinator or worker) running as a child JVM, with stdout and stderr in one
 * log file and a readiness URL.
 */
final class ServiceProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final long PROBE_INTERVAL_MS = 200;
    private static final int LOG_TAIL_LINES = 15;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final URI readinessUri;

    private ServiceProcess(String name, Process process, Path logFile, URI readinessUri) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.readinessUri = readinessUri;
    }

    /**
     * Starts {@code command} with its output appended to {@code logFile}.
     *
     * @param httpPort the service's HTTP port on 127.0.0.1, where {@code /q/health/ready} responds
     */
    static ServiceProcess start(String name, List<String> command, java.util.Map<String, String> environment,
                                Path logFile, int httpPort) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        try {
            return new ServiceProcess(name, builder.start(), logFile,
                    URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"));
        } catch (IOException e) {
            throw new FleetException("Starting the " + name + " (" + String.join(" ", command.subList(0, 1))
                    + ") failed: " + e.getMessage() + "; check that Java 17 or later is installed", e);
        }
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    /**
     * Waits until the service's readiness check responds with 200.
     *
     * @throws FleetException naming the log file when the process exits or the timeout passes first
     */
    void awaitReady(long deadlineNanos, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        HttpRequest probe = HttpRequest.newBuilder(readinessUri).timeout(PROBE_TIMEOUT).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new FleetException("The " + name + " exited with code " + process.exitValue()
                        + " before it was ready; see its log " + logFile + tail());
            }
            if (answersReady(http, probe)) {
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new FleetException("The " + name + " was not ready within " + timeout.toSeconds()
                        + " s (" + readinessUri + "); see its log " + logFile + tail());
            }
            sleep(PROBE_INTERVAL_MS);
        }
    }

    /** Sends SIGTERM without waiting; {@link #stop()} waits. */
    void requestStop() {
        process.destroy();
    }

    /** Sends SIGTERM, waits up to 10 s, then kills the process. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean answersReady(HttpClient http, HttpRequest probe) {
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("Interrupted while waiting for a fleet service to start", e);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return last.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", last);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long milliseconds) {
        try {
            Thread.sleep(milliseconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("Interrupted while waiting for a fleet service to start", e);
        }
    }
}
