package dev.quantfleet.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The targets of the language suite, checked on the measured rows. For each Quantfleet row (in
 * process and on the fleet):
 * <ul>
 *   <li>Recall@1 at most {@value #MAX_RECALL_DROP_POINTS} points below fp32;</li>
 *   <li>median latency at most that of the int8 reference (ratio of medians at most 1);</li>
 *   <li>size at most {@value #MAX_MODEL_BYTES} bytes (30 MB).</li>
 * </ul>
 * For the in-process search: the two runs give byte-identical winners (equal SHA-256), and
 * {@code LocalSearch.run} takes at most {@value #MAX_SEARCH_OVERHEAD} times one calibration plus
 * the search's evaluations, each run alone. One check without a target follows: whether the
 * fleet's winner equals the in-process winner byte for byte.
 */
final class LanguageTargets {

    static final double MAX_RECALL_DROP_POINTS = 0.5;
    static final long MAX_MODEL_BYTES = 30_000_000;
    static final double MAX_SEARCH_OVERHEAD = 1.2;

    /**
     * One target.
     *
     * @param target   what is required
     * @param measured the measured value and how it compares
     * @param met      whether the measurement meets the target; null for a check without a target
     */
    record Target(String target, String measured, Boolean met) {
    }

    private LanguageTargets() {
    }

    /** Checks every target on {@code rows}, whose latencies are {@code latencies} in the same order. */
    static List<Target> check(List<LanguageResults.Row> rows, List<LatencyMeasurement.Latencies> latencies,
                              LanguageResults.Searches searches) {
        int fp32 = indexOf(rows, LanguageBenchmark.FP32);
        int reference = indexOf(rows, LanguageBenchmark.INT8_REFERENCE);
        List<Target> targets = new ArrayList<>();
        for (String name : List.of(LanguageBenchmark.IN_PROCESS, LanguageBenchmark.FLEET)) {
            int index = indexOf(rows, name);
            LanguageResults.Row row = rows.get(index);
            double dropPoints = 100 * (rows.get(fp32).recallAt1() - row.recallAt1());
            targets.add(new Target(name + ": Recall@1 within " + MAX_RECALL_DROP_POINTS + " points of fp32",
                    String.format("%.4f against %.4f: %.2f points %s", row.recallAt1(), rows.get(fp32).recallAt1(),
                            Math.abs(dropPoints), dropPoints >= 0 ? "lower" : "higher"),
                    dropPoints <= MAX_RECALL_DROP_POINTS + 1e-9));
            double ratio = row.medianMs() / rows.get(reference).medianMs();
            Distribution paired = LatencyMeasurement.pairedRatio(latencies.get(index), latencies.get(reference));
            targets.add(new Target(name + ": median latency at most the int8 reference's",
                    String.format("%.2f ms against %.2f ms: ratio %.3f (per-round ratio median %.3f, range %.3f–%.3f)",
                            row.medianMs(), rows.get(reference).medianMs(), ratio, paired.median(), paired.min(),
                            paired.max()),
                    ratio <= 1));
            targets.add(new Target(name + ": size at most 30 MB", String.format("%,d bytes (%.1f MB)",
                    row.modelBytes(), row.modelBytes() / 1e6), row.modelBytes() <= MAX_MODEL_BYTES));
        }
        targets.add(new Target("in-process search run twice gives byte-identical winners",
                "SHA-256 " + String.join(" and ", searches.inProcessSha256()),
                searches.inProcessSha256().stream().distinct().count() == 1));
        long parts = searches.calibrationMs() + searches.evaluationsMs();
        double overhead = searches.inProcessWallTimesMs().get(0) / (double) parts;
        targets.add(new Target("in-process LocalSearch.run at most " + MAX_SEARCH_OVERHEAD
                + " x (one calibration + the evaluations, each alone)",
                String.format("%,d ms against %,d + %,d ms: %.2f x (search loop alone %.2f x)",
                        searches.inProcessWallTimesMs().get(0), searches.calibrationMs(), searches.evaluationsMs(),
                        overhead, searches.inProcessLoopTimesMs().get(0) / (double) parts),
                overhead <= MAX_SEARCH_OVERHEAD));
        String fleetSha = rows.get(indexOf(rows, LanguageBenchmark.FLEET)).sha256();
        targets.add(new Target("no target: fleet winner equals the in-process winner",
                fleetSha.equals(searches.inProcessSha256().get(0)) ? "same SHA-256" : "different SHA-256 " + fleetSha,
                null));
        return targets;
    }

    static MarkdownTable table(List<Target> targets) {
        MarkdownTable table = new MarkdownTable("Target", "Measured", "Met");
        for (Target target : targets) {
            table.row(target.target(), target.measured(), target.met() == null ? "–" : target.met() ? "met" : "MISSED");
        }
        return table;
    }

    /** Returns one sentence listing the missed targets, or saying that all were met. */
    static String summary(List<Target> targets) {
        List<String> missed = targets.stream().filter(target -> Boolean.FALSE.equals(target.met()))
                .map(Target::target).toList();
        long checked = targets.stream().filter(target -> target.met() != null).count();
        return missed.isEmpty() ? "All " + checked + " targets met."
                : "Missed " + missed.size() + " of " + checked + " targets: " + String.join("; ", missed) + ".";
    }

    private static int indexOf(List<LanguageResults.Row> rows, String name) {
        for (int index = 0; index < rows.size(); index++) {
            if (rows.get(index).name().equals(name)) {
                return index;
            }
        }
        throw new IllegalArgumentException("No row named " + name + " among "
                + rows.stream().map(LanguageResults.Row::name).toList());
    }
}
