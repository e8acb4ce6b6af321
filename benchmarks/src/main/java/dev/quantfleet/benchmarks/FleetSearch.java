package dev.quantfleet.benchmarks;

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
 * One search on a local fleet, run as a user runs it: {@code ./quantfleet quantize} with
 * {@code --workers N}, which builds the command line and the fleet services when needed, starts
 * Kafka, S3, the coordinator and N workers on 127.0.0.1, searches, downloads the winner and the
 * report into a folder, and stops the fleet.
 *
 * @param folder     the {@code --out} folder with {@code model.onnx} and {@code report.json}
 * @param report     the downloaded report
 * @param modelBytes the winner's bytes
 * @param wallTimeMs wall time of the command, fleet start and stop included
 * @param exitCode   the command's exit code: 0 when the winner meets the goal, 3 when none does
 */
record FleetSearch(Path folder, SearchReport report, byte[] modelBytes, long wallTimeMs, int exitCode) {

    /** System property with the project folder, which contains the {@code quantfleet} launcher. */
    static final String HOME_PROPERTY = "quantfleet.home";

    /** Maximum wait for the command, build and fleet start included. */
    private static final long TIMEOUT_MINUTES = 30;
    /** Exit code of {@code quantize} when no candidate meets the goal. */
    private static final int NOTHING_ACCEPTABLE = 3;

    /**
     * Runs the search of {@code spec} on a fleet of {@code workers} workers; the spec's threads
     * setting is replaced by the workers. The command's output goes to {@code <folder>.log}.
     *
     * @throws IllegalStateException naming the log file when the command fails or times out
     */
    static FleetSearch run(LocalSearchSpec spec, int workers, Path folder) throws IOException, InterruptedException {
        Path log = folder.resolveSibling(folder.getFileName() + ".log");
        Files.createDirectories(folder);
        List<String> command = new ArrayList<>(List.of(launcher().toString(), "quantize", spec.model().toString(),
                "--calibration-data", spec.calibrationData().toString(),
                "--eval-data", spec.evaluationData().toString()));
        if (spec.evaluationLabels() != null) {
            command.addAll(List.of("--eval-labels", spec.evaluationLabels().toString()));
        }
        command.addAll(List.of("--metric", spec.goal().metric(),
                "--max-drop", maxDrop(spec),
                "--objective", spec.goal().objective().jsonName(),
                "--strategy", spec.strategy(),
                "--max-trials", Integer.toString(spec.budget().maxTrials()),
                "--seed", Long.toString(spec.seed()),
                "--task-threads", Integer.toString(spec.settings().threads()),
                "--workers", Integer.toString(workers),
                "--out", folder.toString()));
        System.out.println("fleet search: " + String.join(" ", command) + " (log " + log + ")");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("The fleet search ran longer than " + TIMEOUT_MINUTES + " minutes and was "
                    + "stopped; see " + log);
        }
        long wallTimeMs = (System.nanoTime() - start) / 1_000_000;
        int exitCode = process.exitValue();
        Path model = folder.resolve("model.onnx");
        if ((exitCode != 0 && exitCode != NOTHING_ACCEPTABLE) || !Files.isRegularFile(model)) {
            throw new IllegalStateException("The fleet search exited with " + exitCode + " and left "
                    + (Files.isRegularFile(model) ? "" : "no ") + "model.onnx in " + folder + "; see " + log);
        }
        SearchReport report = SearchReport.fromJson(Files.readString(folder.resolve("report.json"), StandardCharsets.UTF_8));
        return new FleetSearch(folder, report, Files.readAllBytes(model), wallTimeMs, exitCode);
    }

    /** Returns the {@code quantfleet} launcher in the project folder, or throws naming how to set it. */
    static Path launcher() {
        String home = System.getProperty(HOME_PROPERTY);
        Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of("").toAbsolutePath();
        Path launcher = root.resolve("quantfleet");
        if (!Files.isExecutable(launcher)) {
            throw new UncheckedIOException(new IOException("No executable quantfleet launcher in " + root + "; run the "
                    + "benchmark through benchmarks/run, which sets -D" + HOME_PROPERTY + " to the project folder"));
        }
        return launcher;
    }

    private static String maxDrop(LocalSearchSpec spec) {
        String value = Double.toString(spec.goal().maxDrop());
        return spec.goal().relativeDrop() ? value + "%" : value;
    }
}
