package dev.quantfleet.benchmarks;

import dev.quantfleet.cli.fleet.LocalFleet;
import dev.quantfleet.cli.fleet.ServiceJars;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.search.Objective;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Runs the MiniLM search of {@link SearchBenchmark} (strategy auto, recall@1, maximum drop 1 %
 * relative, objective size) twice: in this process with {@code LocalSearch.run}, one candidate at
 * a time, and on a local fleet of one worker, the way {@code quantfleet quantize --workers 1}
 * runs it. Then it prints the wall times, their ratio against the goal of at most
 * {@value #GOAL_RATIO} x, where the fleet's extra time goes, and the SHA-256 of both winners,
 * which must be byte-identical.
 *
 * <p>The fleet is the CLI's {@link LocalFleet}: a Kafka broker and an S3 server in this JVM, and
 * the coordinator and the worker as child JVMs of their Quarkus applications. That is what users
 * run, so its costs (JVM starts, REST calls, status polls, uploads and downloads) belong in the
 * comparison. One worker runs one task at a time, so the in-process search runs one at a time too.
 *
 * <p>Arguments: pairs the search evaluates on (default {@value SearchBenchmark#DEFAULT_PAIRS}),
 * trial budget (default {@value SearchBenchmark#DEFAULT_TRIALS}).
 */
public final class FleetOverheadBenchmark {

    /** The fleet's request may take at most this many times the in-process search. */
    static final double GOAL_RATIO = 1.1;

    private static final int WORKERS = 1;
    private static final int CANDIDATES_AT_ONCE = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private FleetOverheadBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int pairCount = arguments.length > 0 ? Integer.parseInt(arguments[0]) : SearchBenchmark.DEFAULT_PAIRS;
        int trials = arguments.length > 1 ? Integer.parseInt(arguments[1]) : SearchBenchmark.DEFAULT_TRIALS;

        BenchmarkReport report = new BenchmarkReport("fleet-overhead.md",
                "In-process search against a local fleet of one worker", SearchBenchmark.TASK_THREADS);
        MiniLmFiles files = MiniLmFiles.extract(BenchmarkFolders.work());
        MiniLmSearchData data = MiniLmSearchData.write(PackageTexts.pairLines(), pairCount);
        LocalSearchSpec spec = SearchBenchmark.spec(files, data.calibration(), data.pairs(), Objective.SIZE, trials,
                CANDIDATES_AT_ONCE);
        report.add(data.describe() + ". Goal recall@1, maximum drop " + SearchBenchmark.MAX_DROP_PERCENT
                + " % relative, objective size, strategy auto, " + trials + " trials, seed " + SearchBenchmark.SEED
                + ", " + SearchBenchmark.TASK_THREADS + " ONNX Runtime thread per task.");

        report.add("Load average before the in-process search: " + MachineDescription.readLoadAverage() + ".");
        TimedSearch inProcess = TimedSearch.run(spec);

        report.add("Load average before the fleet starts: " + MachineDescription.readLoadAverage() + ".");
        Path logs = BenchmarkFolders.work().resolve("fleet-overhead-logs");
        long startNanos = System.nanoTime();
        LocalFleet fleet = LocalFleet.start(new LocalFleet.Settings(ServiceJars.locate(), WORKERS, logs,
                SearchBenchmark.TASK_THREADS, false, READY_TIMEOUT), System.out::println);
        long fleetStartMs = (System.nanoTime() - startNanos) / 1_000_000;
        FleetSearchRun fleetRun;
        long fleetStopMs;
        try {
            fleetRun = FleetSearchRun.run(fleet, spec, BenchmarkFolders.work().resolve("fleet-overhead-result"));
        } finally {
            long stopNanos = System.nanoTime();
            fleet.close();
            fleetStopMs = (System.nanoTime() - stopNanos) / 1_000_000;
        }

        addWallTimes(report, inProcess, fleetStartMs, fleetRun, fleetStopMs);
        addBreakdown(report, inProcess, fleetRun);
        addRounds(report, fleetRun.timeline());
        addWinners(report, inProcess, fleetRun);
        report.add("Fleet logs: " + logs + ".");
        report.write();
    }

    private static void addWallTimes(BenchmarkReport report, TimedSearch inProcess, long fleetStartMs,
                                     FleetSearchRun fleetRun, long fleetStopMs) {
        long inProcessMs = inProcess.wallTimeMs();
        report.add("## Wall times");
        report.add(new MarkdownTable("Run", "ms")
                .row("in process: LocalSearch.run, one candidate at a time", inProcessMs)
                .row("in process: InProcessSearch.run inside it", inProcess.searchLoopMs())
                .row("fleet start: broker, S3 server, coordinator and worker JVMs ready", fleetStartMs)
                .row("fleet request: upload → outcome → winner and reports downloaded", fleetRun.requestWallMs())
                .row("fleet stop", fleetStopMs));
        double requestRatio = WallTimeRatio.of(fleetRun.requestWallMs(), inProcessMs);
        double withStartRatio = WallTimeRatio.of(fleetStartMs + fleetRun.requestWallMs(), inProcessMs);
        report.add(new MarkdownTable("Ratio to LocalSearch.run", "x", "goal at most " + GOAL_RATIO + " x met")
                .row("fleet request", WallTimeRatio.format(requestRatio), yesNo(WallTimeRatio.meets(requestRatio,
                        GOAL_RATIO)))
                .row("fleet start + request", WallTimeRatio.format(withStartRatio),
                        yesNo(WallTimeRatio.meets(withStartRatio, GOAL_RATIO))));
    }

    /** Adds the parts of the fleet request, which add up to its wall time, beside their in-process counterparts. */
    private static void addBreakdown(BenchmarkReport report, TimedSearch inProcess, FleetSearchRun fleetRun) {
        FleetTimeline timeline = fleetRun.timeline();
        long extraMs = fleetRun.requestWallMs() - inProcess.wallTimeMs();
        report.add("## Where the fleet request's time goes");
        report.add(String.format("The fleet request took %,d ms more than LocalSearch.run. Each part below is the "
                        + "difference of two consecutive events, from the client's clock and the records on the "
                        + "fleet's topics, so the parts add up to the request's wall time. The task runs include the "
                        + "worker's artifact downloads and uploads; the in-process search loop is their counterpart. "
                        + "%d task attempts in %d rounds.", extraMs, timeline.attemptCount(),
                timeline.rounds().size()));
        MarkdownTable table = new MarkdownTable("Part", "fleet ms", "share of the fleet request");
        long wallMs = fleetRun.requestWallMs();
        table.row("upload of model, data and tokenizer", fleetRun.uploadMs(), share(fleetRun.uploadMs(), wallMs));
        table.row("POST /requests → request published", fleetRun.submitMs(), share(fleetRun.submitMs(), wallMs));
        for (Map.Entry<String, Long> part : timeline.breakdownMs().entrySet()) {
            table.row(part.getKey(), part.getValue(), share(part.getValue(), wallMs));
        }
        table.row("outcome published → status poll returned COMPLETED", fleetRun.outcomeSeenMs(),
                share(fleetRun.outcomeSeenMs(), wallMs));
        table.row("download of winner and reports", fleetRun.downloadMs(), share(fleetRun.downloadMs(), wallMs));
        table.row("whole fleet request", wallMs, share(wallMs, wallMs));
        report.add(table);
        long taskRunsMs = timeline.breakdownMs().get(FleetTimeline.TASK_RUNS);
        report.add(new MarkdownTable("Same work in both", "in process ms", "fleet ms", "fleet − in process ms")
                .row("search loop (InProcessSearch.run) against the worker's task runs", inProcess.searchLoopMs(),
                        taskRunsMs, taskRunsMs - inProcess.searchLoopMs())
                .row("LocalSearch.run outside the loop (load, hashes, winner rebuilt, report) against the rest "
                                + "of the fleet request", inProcess.wallTimeMs() - inProcess.searchLoopMs(),
                        wallMs - taskRunsMs, wallMs - taskRunsMs - (inProcess.wallTimeMs() - inProcess.searchLoopMs())));
    }

    private static void addRounds(BenchmarkReport report, FleetTimeline timeline) {
        MarkdownTable table = new MarkdownTable("Round", "Tasks", "plan → first start ms", "task runs ms",
                "between tasks ms", "last finish → result ms", "result → RoundCompleted ms");
        for (FleetTimeline.Round round : timeline.rounds()) {
            long runsMs = round.taskRunsMs();
            table.row(round.round(), round.attempts().size(), round.firstStartedMs() - round.planPublishedMs(), runsMs,
                    round.lastFinishedMs() - round.firstStartedMs() - runsMs,
                    round.lastPublishedMs() - round.lastFinishedMs(), round.closedMs() - round.lastPublishedMs());
        }
        report.add("### Per round on the fleet");
        report.add(table);
    }

    private static void addWinners(BenchmarkReport report, TimedSearch inProcess, FleetSearchRun fleetRun) {
        byte[] localBytes = inProcess.result().winner().modelBytes();
        SearchReport fleetReport = fleetRun.report();
        SearchReport localReport = inProcess.result().report();
        report.add("## Winners");
        report.add(new MarkdownTable("Search", "Winner", "Trials", "Stop reason", "Bytes", "SHA-256")
                .row("in process", inProcess.winner().candidateId(), localReport.search().trials(),
                        localReport.search().stopReason(), localBytes.length, sha256Hex(localBytes))
                .row("fleet, " + fleetRun.requestId(), fleetReport.winner().candidateId(),
                        fleetReport.search().trials(), fleetReport.search().stopReason(), fleetRun.modelBytes().length,
                        sha256Hex(fleetRun.modelBytes())));
        boolean identical = java.util.Arrays.equals(localBytes, fleetRun.modelBytes());
        boolean sameReport = localReport.toJsonWithoutTiming().equals(fleetReport.toJsonWithoutTiming());
        report.add("Winner models byte-identical: " + (identical ? "yes" : "NO") + ". report.json equal without its "
                + "timing fields: " + (sameReport ? "yes" : "no") + ".");
        if (!identical) {
            throw new IllegalStateException("The fleet's winner (" + fleetReport.winner().candidateId()
                    + ") differs from the in-process winner (" + inProcess.winner().candidateId()
                    + ") in its bytes; the fleet must reproduce the in-process search exactly");
        }
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String share(long partMs, long wholeMs) {
        return String.format("%.1f %%", 100.0 * partMs / wholeMs);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }
}
