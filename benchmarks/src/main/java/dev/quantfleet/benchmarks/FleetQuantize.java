package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.external.ExternalCommand;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.report.SearchReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ./quantfleet quantize} on a local fleet: the command line starts a Kafka broker and
 * an S3 server in its JVM and the coordinator and {@code workers} workers as child JVMs, all on
 * 127.0.0.1, as {@code cli.fleet.LocalFleet} does for any user. Running the real command keeps the
 * benchmark free of the fleet's Quarkus dependencies and measures what a user gets.
 *
 * @param commandWallMs wall time of the quantize command: fleet start, upload, search, download, stop
 * @param report        the search report the command wrote
 * @param modelBytes    the winner model the command wrote
 * @param log           the command's standard output and error
 */
record FleetQuantize(long commandWallMs, SearchReport report, byte[] modelBytes, Path log) {

    /** Exit code of {@code quantfleet quantize} when no candidate met the goal; the best one is still written. */
    private static final int NOTHING_ACCEPTABLE = 3;
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration SEARCH_TIMEOUT = Duration.ofMinutes(30);

    /**
     * Builds the command line and the fleet services when they are stale ({@code ./quantfleet
     * --version} does that), so that the timed run measures the search and not Maven.
     *
     * @throws IOException naming the log when the build fails
     */
    static void build(Path repositoryRoot, Path log) throws IOException, InterruptedException {
        run(repositoryRoot, List.of("--version"), log, BUILD_TIMEOUT, false);
    }

    /**
     * Quantizes {@code model} on a fleet of {@code workers} workers with the goal {@code metric}
     * within {@code maxDrop} (absolute), strategy auto, {@code trials} trials and {@code seed}.
     *
     * @throws IOException naming the log when the command fails or writes no winner
     */
    static FleetQuantize run(Path repositoryRoot, Path model, Path calibration, Path evaluation, Path labels,
                             String metric, double maxDrop, int trials, long seed, int workers, Path outFolder)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("quantize", model.toString(),
                "--calibration-data", calibration.toString(), "--eval-data", evaluation.toString(),
                "--eval-labels", labels.toString(), "--metric", metric, "--max-drop", Double.toString(maxDrop),
                "--strategy", "auto", "--max-trials", Integer.toString(trials), "--seed", Long.toString(seed),
                "--workers", Integer.toString(workers), "--out", outFolder.toString()));
        Path log = outFolder.resolveSibling(outFolder.getFileName() + ".log");
        long start = System.nanoTime();
        run(repositoryRoot, arguments, log, SEARCH_TIMEOUT, true);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        Path reportFile = outFolder.resolve(LocalSearchResult.REPORT_JSON_FILE);
        Path modelFile = outFolder.resolve(LocalSearchResult.MODEL_FILE);
        if (!Files.isRegularFile(reportFile) || !Files.isRegularFile(modelFile)) {
            throw new IOException("quantfleet quantize wrote no " + reportFile.getFileName() + " and "
                    + modelFile.getFileName() + " into " + outFolder + "; see " + log);
        }
        SearchReport report = SearchReport.fromJson(Files.readString(reportFile, StandardCharsets.UTF_8));
        return new FleetQuantize(wallMs, report, Files.readAllBytes(modelFile), log);
    }

    private static void run(Path repositoryRoot, List<String> arguments, Path log, Duration timeout,
                            boolean nothingAcceptableIsResult) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(repositoryRoot.resolve("quantfleet").toString());
        command.addAll(arguments);
        ExternalCommand.Result result = ExternalCommand.run(command, repositoryRoot, timeout,
                "Run the benchmark from a checkout of the repository, whose root holds the quantfleet script.");
        Files.writeString(log, result.stdout() + result.stderr(), StandardCharsets.UTF_8);
        boolean resultWritten = nothingAcceptableIsResult && result.exitCode() == NOTHING_ACCEPTABLE;
        if (!result.succeeded() && !resultWritten) {
            throw new IOException("'" + String.join(" ", command) + "' failed with exit code " + result.exitCode()
                    + "; its output is in " + log);
        }
    }
}
