package dev.quantfleet.benchmarks;

import dev.quantfleet.cli.fleet.FleetInputs;
import dev.quantfleet.cli.fleet.FleetStatus;
import dev.quantfleet.cli.fleet.LocalFleet;
import dev.quantfleet.cli.fleet.RequestUploader;
import dev.quantfleet.cli.fleet.ResultDownloader;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.report.SearchReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One search on a running {@link LocalFleet}, with the steps and clock of
 * {@code quantfleet quantize} in fleet mode: upload the inputs, submit the request over the
 * coordinator's REST API, poll its status every {@value #STATUS_POLL_MS} ms until it ends,
 * download the winner and report. Every time is epoch milliseconds of this machine, the clock
 * of the topics' time stamps too, so the client's steps and the {@link FleetTimeline} add up.
 *
 * @param requestId        the request
 * @param uploadStartMs    when the upload started
 * @param submitStartMs    when the upload ended and {@code POST /requests} was sent
 * @param endSeenMs        when the status poll first returned COMPLETED
 * @param downloadEndMs    when the winner and the reports were downloaded
 * @param report           the downloaded report.json
 * @param modelBytes       the downloaded winner model
 * @param timeline         the request's records on the fleet's topics
 */
record FleetSearchRun(String requestId, long uploadStartMs, long submitStartMs, long endSeenMs, long downloadEndMs,
                      SearchReport report, byte[] modelBytes, FleetTimeline timeline) {

    /** Status poll interval of {@code quantfleet quantize} (RequestWatch in the cli module). */
    static final long STATUS_POLL_MS = 250;

    /**
     * Runs {@code spec} on {@code fleet} and downloads the results into {@code folder}.
     *
     * @throws IllegalStateException when the coordinator rejects the request or the search has no winner model
     */
    static FleetSearchRun run(LocalFleet fleet, LocalSearchSpec spec, Path folder)
            throws IOException, InterruptedException {
        FleetInputs inputs = new FleetInputs(spec.model(), spec.calibrationData(), spec.evaluationData(),
                spec.evaluationLabels(), spec.textOptions() == null ? null : spec.textOptions().tokenizer(),
                spec.textOptions() == null ? null : spec.textOptions().maxLength());
        long uploadStartMs = System.currentTimeMillis();
        QuantizationRequest request = new RequestUploader(fleet.store()).upload(inputs, RequestGoal.of(spec.goal()),
                spec.strategy(), RequestBudget.of(spec.budget()), spec.seed(), "benchmark");
        long submitStartMs = System.currentTimeMillis();
        String requestId = fleet.coordinator().submit(request);
        FleetStatus end = awaitEnd(fleet, requestId);
        long endSeenMs = System.currentTimeMillis();
        if (end.rejected() || end.report() == null) {
            throw new IllegalStateException("Request " + requestId + " ended " + end.state() + " without a report: "
                    + end.rejectionReasons());
        }
        ResultDownloader.Downloaded downloaded = new ResultDownloader(fleet.store()).download(end.report(), folder);
        long downloadEndMs = System.currentTimeMillis();
        if (downloaded.model() == null) {
            throw new IllegalStateException("Request " + requestId + " completed without a winner model in "
                    + end.report().key() + "; the overhead benchmark compares winners, so it needs one");
        }
        SearchReport report = SearchReport.fromJson(Files.readString(downloaded.reportJson()));
        byte[] modelBytes = Files.readAllBytes(downloaded.model());
        FleetTimeline timeline = new FleetTopicReader(fleet.bootstrapServers()).timeline(requestId);
        return new FleetSearchRun(requestId, uploadStartMs, submitStartMs, endSeenMs, downloadEndMs, report,
                modelBytes, timeline);
    }

    /** Polls the request's status as {@code quantfleet quantize} does, printing each change of round or count. */
    private static FleetStatus awaitEnd(LocalFleet fleet, String requestId) throws InterruptedException {
        String lastLine = "";
        while (true) {
            FleetStatus status = fleet.coordinator().status(requestId);
            String line = String.format("fleet request %s: %s, round %d: %d of %d tasks done", requestId,
                    status.state(), status.round(), status.tasksDone(), status.tasksTotal());
            if (!line.equals(lastLine)) {
                System.out.println(line);
                lastLine = line;
            }
            if (status.finished()) {
                return status;
            }
            Thread.sleep(STATUS_POLL_MS);
        }
    }

    /** Milliseconds from the start of the upload to the end of the download: what the user waits for. */
    long requestWallMs() {
        return downloadEndMs - uploadStartMs;
    }

    long uploadMs() {
        return submitStartMs - uploadStartMs;
    }

    /** Milliseconds from sending {@code POST /requests} to the request's record on its topic. */
    long submitMs() {
        return timeline.requestPublishedMs() - submitStartMs;
    }

    /** Milliseconds from the outcome's record to the status poll that returned COMPLETED. */
    long outcomeSeenMs() {
        return endSeenMs - timeline.outcomePublishedMs();
    }

    long downloadMs() {
        return downloadEndMs - endSeenMs;
    }
}
