package dev.quantfleet.engine.external;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (npm, Maven) to completion and collects its output. Standard input
 * is closed at once, so a program that prompts fails instead of hanging.
 */
public final class ExternalCommand {

    private ExternalCommand() {
    }

    /** Exit code and complete output of a finished program. */
    public record Result(int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command} in {@code directory} and waits for it.
     *
     * @param installHint sentence appended to the error when the program cannot be started,
     *                    telling the user how to install it
     * @throws TimedOutException when the program runs longer than {@code timeout}, after killing it
     * @throws IOException       when the program cannot be started
     */
    public static Result run(List<String> command, Path directory, Duration timeout, String installHint)
            throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).start();
        } catch (IOException e) {
            throw new IOException("Cannot run '" + command.get(0) + "': " + e.getMessage() + ". " + installHint, e);
        }
        process.getOutputStream().close();
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new TimedOutException("'" + String.join(" ", command) + "' timed out after "
                    + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), stdout.join(), stderr.join());
    }

    /** Raised when a program runs past its timeout. */
    public static final class TimedOutException extends IOException {

        public TimedOutException(String message) {
            super(message);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output could not be read: " + e.getMessage() + ")";
            }
        });
    }
}
