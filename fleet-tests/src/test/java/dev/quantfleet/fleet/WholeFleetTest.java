package dev.quantfleet.fleet;

import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.engine.report.SearchReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole searches on the real fleet in one JVM, compared with {@link dev.quantfleet.engine.job.LocalSearch}. */
class WholeFleetTest {

    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    private static final long ROUND_DEADLINE_MS = 60_000;
    private static final int MAX_ATTEMPTS = 2;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void searchMatchesLocalSearchByteForByte() throws Exception {
        ChainSearch.SearchFiles files = ChainSearch.files();
        try (InJvmFleet fleet = InJvmFleet.start(directory, new InJvmFleet.Settings("cpu", ROUND_DEADLINE_MS,
                MAX_ATTEMPTS))) {
            fleet.startCoordinator();
            fleet.startWorkers(1);
            long startNanos = System.nanoTime();
            fleet.submit(ChainSearch.request("e2e", ChainSearch.upload(fleet.store(), files), "cpu"));
            SearchOutcome outcome = fleet.awaitOutcome("e2e", OUTCOME_TIMEOUT);
            System.out.println("search took " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");

            SearchReport report = ChainSearch.assertMatchesReference(outcome, fleet.store(), files);
            assertThat(report.search().rounds()).isGreaterThan(2);
        }
    }
}
