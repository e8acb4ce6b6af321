package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LanguageTargetsTest {

    private static LanguageResults.Row row(String name, double recallAt1, long bytes, double medianMs, String sha256) {
        return new LanguageResults.Row(name, "test", bytes, sha256, recallAt1, 0, 1, 0.01, 0.9, 0.9, 0.99, 0.98,
                medianMs, medianMs, medianMs, null, null, 0);
    }

    private static LatencyMeasurement.Latencies latency(double medianMs) {
        return new LatencyMeasurement.Latencies(new double[] {medianMs}, new double[] {medianMs, medianMs});
    }

    private static LanguageResults.Searches searches(String secondSha256, long wallTimeMs) {
        return new LanguageResults.Searches(List.of(wallTimeMs, wallTimeMs), List.of(wallTimeMs, wallTimeMs),
                List.of("same", secondSha256), "winner", 10, 100, 900, "command", 2000, 1500, 10, "winner", 0);
    }

    @Test
    void checksEveryTargetOnRows() {
        List<LanguageResults.Row> rows = List.of(
                row(LanguageBenchmark.FP32, 0.833, 90_387_606, 30, "fp32"),
                row(LanguageBenchmark.INT8_REFERENCE, 0.829, 22_972_370, 16, "reference"),
                row(LanguageBenchmark.DEFAULT_CONFIGURATION, 0.840, 22_947_303, 17, "default"),
                row(LanguageBenchmark.IN_PROCESS, 0.828, 22_845_871, 16, "same"),
                row(LanguageBenchmark.FLEET, 0.827, 31_000_000, 17, "other"));
        List<LatencyMeasurement.Latencies> latencies = List.of(latency(30), latency(16), latency(17), latency(16),
                latency(17));

        List<LanguageTargets.Target> targets = LanguageTargets.check(rows, latencies, searches("same", 1200));

        // in process: 0.5 points lower (met), same latency (met), 22.8 MB (met)
        // fleet: 0.6 points lower, 17 ms against 16 ms, 31 MB: all missed
        // search: same SHA-256 (met), 1200 ms against 100 + 900 ms = 1.2 x (met)
        assertThat(targets).extracting(LanguageTargets.Target::met)
                .containsExactly(true, true, true, false, false, false, true, true, null);
        assertThat(targets.get(0).measured()).contains("0.50 points lower");
        assertThat(targets.get(6).measured()).contains("SHA-256 same and same");
        assertThat(targets.get(8).measured()).isEqualTo("different SHA-256 other");
        assertThat(LanguageTargets.summary(targets)).startsWith("Missed 3 of 8 targets: quantfleet-fleet");
    }

    @Test
    void differentWinnersAndSlowSearchMissTheirTargets() {
        List<LanguageResults.Row> rows = List.of(
                row(LanguageBenchmark.FP32, 0.8, 1, 30, "fp32"),
                row(LanguageBenchmark.INT8_REFERENCE, 0.8, 1, 16, "reference"),
                row(LanguageBenchmark.IN_PROCESS, 0.9, 1, 10, "same"),
                row(LanguageBenchmark.FLEET, 0.9, 1, 10, "same"));
        List<LatencyMeasurement.Latencies> latencies = List.of(latency(30), latency(16), latency(10), latency(10));

        List<LanguageTargets.Target> targets = LanguageTargets.check(rows, latencies, searches("second", 1201));

        assertThat(targets.get(0).measured()).contains("10.00 points higher");
        assertThat(targets.get(6).met()).isFalse();
        assertThat(targets.get(7).met()).isFalse();
        assertThat(targets.get(8).measured()).isEqualTo("same SHA-256");
        assertThat(LanguageTargets.summary(targets)).startsWith("Missed 2 of 8 targets");
    }
}
