package dev.quantfleet.benchmarks;

import dev.quantfleet.cli.fleet.FleetInputs;
import dev.quantfleet.cli.fleet.LocalFleet;
import dev.quantfleet.cli.fleet.RequestUploader;
import dev.quantfleet.cli.fleet.ServiceJars;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.topics.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Measures the latency of the fleet's plumbing on a local fleet, as {@code quantfleet quantize}
 * starts it: how long a request waits from its acceptance by the coordinator's REST API to the
 * first task a worker starts, and from the last result a worker publishes to the outcome. The
 * requests search a {@link TinyChainModel}, whose tasks take milliseconds, one request at a
 * time. A first request warms the JVMs and caches and is not counted.
 *
 * <p>Every time comes from the client's clock or a record on the fleet's topics
 * ({@link FleetTimeline}); all processes run on this machine, so they share one clock.
 *
 * <p>Arguments: measured requests (default {@value #DEFAULT_REQUESTS}), workers (default
 * {@value #DEFAULT_WORKERS}, the default of {@code quantfleet quantize}).
 */
public final class FleetLatencyBenchmark {

    static final int DEFAULT_REQUESTS = 10;
    static final int DEFAULT_WORKERS = 2;
    static final String STRATEGY = "auto";
    static final int MAX_TRIALS = 4;
    static final double MAX_COSINE_DROP = 0.01;
    static final int SAMPLES = 16;
    static final int TASK_THREADS = 1;
    static final long SEED = 0;

    private static final long MODEL_SEED = 7;
    private static final long CALIBRATION_SEED = 11;
    private static final long EVALUATION_SEED = 13;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(3);

    private FleetLatencyBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int requestCount = arguments.length > 0 ? Integer.parseInt(arguments[0]) : DEFAULT_REQUESTS;
        int workers = arguments.length > 1 ? Integer.parseInt(arguments[1]) : DEFAULT_WORKERS;

        BenchmarkReport report = new BenchmarkReport("fleet-latency.md", "Latency of the fleet's plumbing",
                TASK_THREADS);
        Path folder = Files.createDirectories(BenchmarkFolders.work().resolve("fleet-latency"));
        FleetInputs inputs = new FleetInputs(TinyChainModel.writeModel(folder.resolve("tiny-chain.onnx"), MODEL_SEED),
                TinyChainModel.writeSamples(folder.resolve("calibration.npy"), SAMPLES, CALIBRATION_SEED),
                TinyChainModel.writeSamples(folder.resolve("evaluation.npy"), SAMPLES, EVALUATION_SEED), null, null,
                null);
        report.add(String.format("Local fleet of %d worker%s (child JVMs) over the in-process broker and S3 server. "
                        + "Requests: the %d-wide two-MatMul model, %d calibration and %d evaluation samples, goal "
                        + "cosine with a drop of at most %.2f, strategy %s, %d trials, submitted over REST one at a "
                        + "time. 1 warm-up request, then %d measured.", workers, workers == 1 ? "" : "s",
                TinyChainModel.WIDTH, SAMPLES, SAMPLES, MAX_COSINE_DROP, STRATEGY, MAX_TRIALS, requestCount));

        report.add("Load average before the fleet starts: " + MachineDescription.readLoadAverage() + ".");
        Path logs = BenchmarkFolders.work().resolve("fleet-latency-logs");
        List<FleetTimeline> timelines = new ArrayList<>();
        List<Long> outcomeReceivedMs = new ArrayList<>();
        try (LocalFleet fleet = LocalFleet.start(new LocalFleet.Settings(ServiceJars.locate(), workers, logs,
                TASK_THREADS, false, READY_TIMEOUT), System.out::println);
             KeyedRecordWatcher outcomes = new KeyedRecordWatcher(fleet.bootstrapServers(), Topics.OUTCOMES)) {
            report.add("Load average once the fleet is ready: " + MachineDescription.readLoadAverage() + ".");
            RequestUploader uploader = new RequestUploader(fleet.store());
            FleetTopicReader reader = new FleetTopicReader(fleet.bootstrapServers());
            for (int i = 0; i <= requestCount; i++) {
                QuantizationRequest request = uploader.upload(inputs, new RequestGoal("cosine", null, MAX_COSINE_DROP,
                        false, null), STRATEGY, new RequestBudget(MAX_TRIALS, null, false), SEED, "benchmark");
                String requestId = fleet.coordinator().submit(request);
                long receivedMs = outcomes.await(requestId, OUTCOME_TIMEOUT);
                FleetTimeline timeline = reader.timeline(requestId);
                System.out.printf("request %d (%s): %d rounds, %d tasks, request → first task %d ms, last result → "
                                + "outcome %d ms%n", i, requestId, timeline.rounds().size(), timeline.attemptCount(),
                        timeline.requestToFirstTaskMs(), timeline.lastResultToOutcomeMs());
                if (i > 0) {
                    timelines.add(timeline);
                    outcomeReceivedMs.add(receivedMs - timeline.outcomePublishedMs());
                }
            }
            report.add("Load average after the requests: " + MachineDescription.readLoadAverage() + ".");
        }
        addLatencies(report, timelines, outcomeReceivedMs);
        addRequests(report, timelines);
        report.add("Fleet logs: " + logs + ".");
        report.write();
    }

    private static void addLatencies(BenchmarkReport report, List<FleetTimeline> timelines,
                                     List<Long> outcomeReceivedMs) {
        List<Long> turnarounds = new ArrayList<>();
        timelines.forEach(timeline -> turnarounds.addAll(timeline.roundTurnaroundsMs()));
        report.add("## Latencies over " + timelines.size() + " requests, ms");
        report.add("Median (interquartile range, range). Request published: the coordinator's REST API wrote the "
                + "request to " + Topics.REQUESTS + ", before it answered POST /requests.");
        report.add(new MarkdownTable("Span", "Samples", "ms")
                .row("request published → first task started by a worker", timelines.size(),
                        describe(timelines, FleetTimeline::requestToFirstTaskMs))
                .row("… of which request published → round 0 plan published (validation)", timelines.size(),
                        describe(timelines, FleetTimeline::intakeMs))
                .row("… of which round 0 plan published → first task started (dispatch)", timelines.size(),
                        describe(timelines, FleetTimeline::firstDispatchMs))
                .row("last result published → outcome published", timelines.size(),
                        describe(timelines, FleetTimeline::lastResultToOutcomeMs))
                .row("… of which last result published → last RoundCompleted (aggregator)", timelines.size(),
                        describe(timelines, FleetTimeline::lastCloseMs))
                .row("… of which last RoundCompleted → outcome published (coordinator: plan, promote, report)",
                        timelines.size(), describe(timelines, FleetTimeline::lastCloseToOutcomeMs))
                .row("outcome published → received by a read_committed consumer", outcomeReceivedMs.size(),
                        Distribution.of(toDoubles(outcomeReceivedMs)).describe(0))
                .row("between rounds: last result of a round → first task of the next started", turnarounds.size(),
                        turnarounds.isEmpty() ? "–" : Distribution.of(toDoubles(turnarounds)).describe(0))
                .row("whole request: request published → outcome published", timelines.size(),
                        describe(timelines, FleetTimeline::requestToOutcomeMs)));
    }

    private static void addRequests(BenchmarkReport report, List<FleetTimeline> timelines) {
        MarkdownTable table = new MarkdownTable("Request", "Rounds", "Task attempts", "task runs ms",
                "request → first task ms", "last result → outcome ms", "request → outcome ms");
        for (FleetTimeline timeline : timelines) {
            long runsMs = timeline.rounds().stream().mapToLong(FleetTimeline.Round::taskRunsMs).sum();
            table.row(timeline.requestId(), timeline.rounds().size(), timeline.attemptCount(), runsMs,
                    timeline.requestToFirstTaskMs(), timeline.lastResultToOutcomeMs(), timeline.requestToOutcomeMs());
        }
        report.add("### Each measured request");
        report.add(table);
    }

    private static String describe(List<FleetTimeline> timelines, ToLongFunction<FleetTimeline> span) {
        return Distribution.of(timelines.stream().mapToDouble(timeline -> span.applyAsLong(timeline)).toArray())
                .describe(0);
    }

    private static double[] toDoubles(List<Long> values) {
        return values.stream().mapToDouble(Long::doubleValue).toArray();
    }
}
