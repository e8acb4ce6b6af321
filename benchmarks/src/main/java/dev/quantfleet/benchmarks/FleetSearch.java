package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.report.SearchReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A search on the local fleet, run as a user runs it: {@code ./quantfleet quantize MODEL
 * --workers N ...} at the repository root, which starts Kafka and S3 in the CLI's JVM and the
 * coordinator and N workers as child JVMs on 127.0.0.1 (the CLI's {@code LocalFleet}), submits
 * the request, and downloads {@code model.onnx} and {@code report.json} into {@code outFolder}.
 * The CLI prints its progress to this program's standard error.
 *
 * @param command    the command line run
 * @param wallTimeMs wall time of the whole command: fleet start, upload, search, download, stop
 * @param modelBytes the winner as downloaded
 * @param report     the downloaded report; its {@code search.wallTimeMs} is the coordinator's search time
 * @param exitCode   the command's exit code: 0 when the winner meets the goal, 3 when none does
 */
record FleetSearch(List<String> command, long wallTimeMs, byte[] modelBytes, SearchReport report, int exitCode) {

    /** Maximum wait for the command; the search itself has no deadline. */
    static final long TIMEOUT_MINUTES = 60;
    /** Exit code of {@code quantize} when no candidate meets the goal; the best one is still downloaded. */
    private static final int NOTHING_ACCEPTABLE = 3;

    /**
     * Runs the search of {@code spec} on a local fleet of {@code workers} workers. The spec's
     * goal, strategy, trial budget, seed and ONNX Runtime threads per task become the CLI's
     * options. Its candidate parallelism does not apply, because each worker runs one task at a time.
     *
     * @throws IllegalStateException with the exit code when the command fails
     */
    static FleetSearch run(LocalSearchSpec spec, int workers, Path outFolder) throws IOException, InterruptedException {
        // The script builds the CLI and the services first when a source file is newer than their jars.
        // A first call that only prints the version keeps that build out of the timed search.
        requireSuccess(runToEnd(List.of(script().toString(), "--version")), List.of(script().toString(), "--version"),
                outFolder);
        List<String> command = command(spec, workers, outFolder);
        System.out.println("fleet: " + String.join(" ", command));
        long start = System.nanoTime();
        Process process = runToEnd(command);
        long wallTimeMs = (System.nanoTime() - start) / 1_000_000;
        requireSuccess(process, command, outFolder);
        byte[] modelBytes = Files.readAllBytes(outFolder.resolve(LocalSearchResult.MODEL_FILE));
        SearchReport report = SearchReport.fromJson(Files.readString(
                outFolder.resolve(LocalSearchResult.REPORT_JSON_FILE), StandardCharsets.UTF_8));
        return new FleetSearch(command, wallTimeMs, modelBytes, report, process.exitValue());
    }

    /** Runs {@code command} at the repository root with this program's output streams and waits for it. */
    private static Process runToEnd(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(BenchmarkFolders.repositoryRoot().toFile())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroy();
            throw new IllegalStateException("'" + String.join(" ", command) + "' did not end within " + TIMEOUT_MINUTES
                    + " minutes");
        }
        return process;
    }

    private static void requireSuccess(Process process, List<String> command, Path outFolder) {
        if (process.exitValue() != 0 && process.exitValue() != NOTHING_ACCEPTABLE) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed with exit code "
                    + process.exitValue() + "; its output is above, and the fleet services' logs are in "
                    + outFolder.resolve("logs"));
        }
    }

    private static Path script() {
        return BenchmarkFolders.repositoryRoot().resolve("quantfleet");
    }

    private static List<String> command(LocalSearchSpec spec, int workers, Path outFolder) {
        deleteOutputs(outFolder);
        var goal = spec.goal();
        List<String> command = new ArrayList<>(List.of(
                script().toString(), "quantize",
                spec.model().toString(),
                "--workers", Integer.toString(workers),
                "--calibration-data", spec.calibrationData().toString(),
                "--eval-data", spec.evaluationData().toString()));
        if (spec.textOptions() != null) {
            command.addAll(List.of("--tokenizer", spec.textOptions().tokenizer().toString(),
                    "--max-length", Integer.toString(spec.textOptions().maxLength())));
        }
        if (spec.evaluationLabels() != null) {
            command.addAll(List.of("--eval-labels", spec.evaluationLabels().toString()));
        }
        command.addAll(List.of(
                "--metric", goal.metric(),
                "--max-drop", goal.relativeDrop() ? goal.maxDrop() + "%" : Double.toString(goal.maxDrop()),
                "--objective", goal.objective().jsonName(),
                "--strategy", spec.strategy(),
                "--max-trials", Integer.toString(spec.budget().maxTrials()),
                "--seed", Long.toString(spec.seed()),
                "--task-threads", Integer.toString(spec.settings().threads()),
                "--out", outFolder.toString()));
        return command;
    }

    /** Removes the files of an earlier run, so that a failed run cannot pass off old results as new. */
    private static void deleteOutputs(Path outFolder) {
        try {
            Files.deleteIfExists(outFolder.resolve(LocalSearchResult.MODEL_FILE));
            Files.deleteIfExists(outFolder.resolve(LocalSearchResult.REPORT_JSON_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to remove the earlier results in " + outFolder, e);
        }
    }
}
