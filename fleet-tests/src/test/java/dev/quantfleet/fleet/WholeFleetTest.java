package dev.quantfleet.fleet;

import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskResult;
import dev.quantfleet.coordinator.search.PromotedFiles;
import dev.quantfleet.coordinator.search.RequestState;
import dev.quantfleet.coordinator.search.RequestStatus;
import dev.quantfleet.coordinator.search.StoredArtifact;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import dev.quantfleet.engine.report.SearchReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole searches on the real fleet in one JVM (broker, S3 server, aggregator, coordinator,
 * workers), compared with {@link dev.quantfleet.engine.job.LocalSearch} on the same files.
 */
class WholeFleetTest {

    private static final String POOL = "cpu";
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    private static final InJvmFleet.Settings SETTINGS = new InJvmFleet.Settings(POOL, 60_000, 2);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fleetSearchMatchesLocalSearch() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, SETTINGS)) {
            fleet.startCoordinator();
            fleet.startWorkers(1);
            fleet.submit(ChainSearch.request("e2e", ChainSearch.upload(fleet.store(), files), POOL));
            SearchOutcome outcome = fleet.awaitOutcome("e2e", OUTCOME_TIMEOUT);

            SearchReport report = ChainSearch.assertMatchesReference(outcome, fleet.store(), files);
            assertThat(report.search().rounds()).as("rounds of the search").isGreaterThanOrEqualTo(3);
            assertThat(report.search().threads()).isEqualTo(1);
            assertThat(report.toJsonWithoutTiming())
                    .isEqualTo(ChainSearch.reference(files).report().toJsonWithoutTiming());
            assertThat(fleet.aggregatorCounters().resentTasks()).isZero();

            RequestStatus status = fleet.board().find("e2e").orElseThrow();
            assertThat(status.state()).isEqualTo(RequestState.COMPLETED);
            PromotedFiles promoted = status.promoted();
            assertThat(promoted.model()).isEqualTo(StoredArtifact.of(InJvmFleet.BUCKET, outcome.quantizedModel()));
            assertThat(promoted.reportJson()).isEqualTo(StoredArtifact.of(InJvmFleet.BUCKET, outcome.report()));
            assertThat(promoted.reportHtml().key()).endsWith("/e2e/report.html");
            assertThat(fleet.store().find(promoted.reportHtml().key())).hasValueSatisfying(stored ->
                    assertThat(stored.sha256()).isEqualTo(promoted.reportHtml().sha256()));
            Poll.until("the aggregator to delete the state of e2e", OUTCOME_TIMEOUT,
                    () -> !fleet.aggregatorHasRoundState("e2e"));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void workerCountChangesNoResult() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, SETTINGS)) {
            ChainSearch.Uploaded uploaded = ChainSearch.upload(fleet.store(), files);
            fleet.startCoordinator();
            fleet.startWorkers(1);
            fleet.submit(ChainSearch.request("one-worker", uploaded, POOL));
            SearchOutcome alone = fleet.awaitOutcome("one-worker", OUTCOME_TIMEOUT);
            fleet.startWorkers(2);
            fleet.submit(ChainSearch.request("three-workers", uploaded, POOL));
            SearchOutcome shared = fleet.awaitOutcome("three-workers", OUTCOME_TIMEOUT);

            SearchReport aloneReport = ChainSearch.assertMatchesReference(alone, fleet.store(), files);
            SearchReport sharedReport = ChainSearch.assertMatchesReference(shared, fleet.store(), files);
            assertThat(fleet.store().readBytes(shared.quantizedModel()))
                    .isEqualTo(fleet.store().readBytes(alone.quantizedModel()));
            assertThat(ChainSearch.comparableJson(sharedReport)).isEqualTo(ChainSearch.comparableJson(aloneReport));
            Set<String> sharedWorkers = okWorkers(fleet, "three-workers");
            assertThat(okWorkers(fleet, "one-worker")).containsExactly("worker-1");
            assertThat(sharedWorkers).as("workers that ran tasks of the shared search").hasSizeGreaterThan(1);
            assertThat(sharedReport.search().threads()).isEqualTo(sharedWorkers.size());
        }
    }

    private static Set<String> okWorkers(InJvmFleet fleet, String requestId) {
        return fleet.results(requestId).stream().filter(result -> result.status() == EvaluationStatus.OK)
                .map(TaskResult::workerId).collect(Collectors.toSet());
    }
}
