package dev.quantfleet.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java child process whose stdout and stderr go to one log file.
 *
 * <p>A JVM shutdown hook stops the child if the parent exits without calling {@link #stop}. Stop
 * sends SIGTERM, waits for the grace period and then kills the process.
 */
final class ChildProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    private static final String CHILD_LOGBACK_RESOURCE = "child-logback.xml";
    private static final int LOG_TAIL_LINES = 20;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration stopGrace;
    private final Thread shutdownHook;
    private final long launchNanos = System.nanoTime();
    private boolean stopped;

    private ChildProcess(String name, Process process, Path logFile, Duration stopGrace) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
        this.shutdownHook = new Thread(this::stopFromShutdownHook, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code java [jvmOptions] -cp classpath mainClass [arguments]} with a logback
     * configuration written next to the log file.
     */
    static ChildProcess launch(String name, LaunchSettings settings, String mainClass, List<String> arguments, Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Path logbackFile = logFile.resolveSibling(name + "-logback.xml");
            copyChildLogbackConfig(logbackFile);

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(settings.jvmOptions());
            command.add("-Dlogback.configurationFile=" + logbackFile.toAbsolutePath());
            command.add("-cp");
            command.add(settings.classpath());
            command.add(mainClass);
            command.addAll(arguments);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            LOG.info("Started the {} process (pid {}), log {}", name, process.pid(), logFile);
            return new ChildProcess(name, process, logFile, settings.stopGrace());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start the " + name + " process; log file " + logFile, e);
        }
    }

    private static void copyChildLogbackConfig(Path target) throws IOException {
        try (InputStream in = ChildProcess.class.getResourceAsStream(CHILD_LOGBACK_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing class-path resource " + CHILD_LOGBACK_RESOURCE + " next to " + ChildProcess.class.getName());
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Waits until {@code probe} succeeds. On timeout, or if the process exits first, the process is
     * stopped and a {@link LocalStackException} names what did not come up and the log file.
     */
    void awaitReady(BooleanSupplier probe, Duration timeout, String readyCondition) {
        boolean ready = Readiness.poll(() -> {
            if (!process.isAlive()) {
                throw new LocalStackException("The " + name + " process exited with code " + process.exitValue()
                        + " before " + readyCondition + "; read " + logFile + ". Last lines:\n" + logTail());
            }
            return probe.getAsBoolean();
        }, timeout);
        if (!ready) {
            stop();
            throw new LocalStackException("The " + name + " process did not become ready (" + readyCondition + ") within "
                    + timeout + " and was stopped; read " + logFile + ". Last lines:\n" + logTail());
        }
        LOG.info("The {} process (pid {}) is ready {} ms after launch", name, process.pid(), (System.nanoTime() - launchNanos) / 1_000_000);
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM, waits up to the grace period, then kills the process. Repeated calls do nothing. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        terminate();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM shutdown in progress; the shutdown hook of the {} process stays registered", name, e);
        }
    }

    private synchronized void stopFromShutdownHook() {
        if (!stopped) {
            stopped = true;
            terminate();
        }
    }

    private void terminate() {
        long startNanos = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The {} process (pid {}) did not exit within {} after SIGTERM; killing it", name, process.pid(), stopGrace);
                process.destroyForcibly();
                process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("Stopped the {} process (pid {}) in {} ms", name, process.pid(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
    }
}
