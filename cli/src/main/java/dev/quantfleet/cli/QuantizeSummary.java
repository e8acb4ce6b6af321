package dev.quantfleet.cli;

import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.report.Baseline;
import dev.quantfleet.engine.report.HigherPrecisionNode;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.report.Winner;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints the outcome of {@code quantize}: the winner against the float model and the files written. */
final class QuantizeSummary {

    private final PrintWriter out;

    QuantizeSummary(PrintWriter out) {
        this.out = out;
    }

    void print(LocalSearchResult result, Path directory) {
        print(result.report(), result.winner() != null && result.winner().modelBytes() != null, directory);
    }

    /**
     * Prints the summary of {@code report}, e.g. one read back from a fleet's report.json.
     *
     * @param modelWritten whether {@code directory} has the winner's model.onnx
     */
    void print(SearchReport report, boolean modelWritten, Path directory) {
        String metric = report.goal().metric();
        Baseline baseline = report.baseline();
        out.println("Search:       strategy " + report.search().strategy() + ", seed " + report.search().seed() + ", "
                + count(report.search().trials(), "trial") + " in " + count(report.search().rounds(), "round")
                + ", stopped: " + report.search().stopReason() + ", " + seconds(report.search().wallTimeMs()));
        Winner winner = report.winner();
        if (winner == null) {
            out.println("Winner:       none; no candidate could be evaluated (see report.json for the reasons)");
        } else {
            out.println("Winner:       " + winner.candidateId() + (report.acceptable() ? " (meets the goal)"
                    : " (best found, MISSES the goal)"));
            out.println("Quality:      " + metric + " " + number(winner.metrics().get(metric)) + " (float model "
                    + number(baseline.metrics().get(metric)) + "; goal: drop at most " + goalText(report) + ")");
            out.println("Size:         " + mebibytes(winner.cost()) + " (float model " + mebibytes(baseline.cost()) + ")");
            out.println("Integer MACs: " + percent(winner.cost().integerMacShare()) + " of multiply-accumulates (float "
                    + "model " + percent(baseline.cost() == null ? 0 : baseline.cost().integerMacShare()) + ")");
            printLatency(winner.cost(), baseline.cost());
            out.println("Higher precision: " + (winner.nodesInHigherPrecision().isEmpty() ? "none"
                    : winner.nodesInHigherPrecision().size() + " nodes"));
            for (HigherPrecisionNode node : winner.nodesInHigherPrecision()) {
                out.println("      " + node.node() + " (" + node.precision().name().toLowerCase(Locale.ROOT) + "): "
                        + node.reason());
            }
        }
        if (modelWritten) {
            out.println("Model:        " + directory.resolve(LocalSearchResult.MODEL_FILE));
        }
        out.println("Report:       " + directory.resolve(LocalSearchResult.REPORT_JSON_FILE) + ", "
                + directory.resolve(LocalSearchResult.REPORT_HTML_FILE));
        out.flush();
    }

    /** Prints the measured latencies, and a note when the winner is slower than the float model. */
    private void printLatency(Cost winner, Cost baseline) {
        Latency latency = winner.latency();
        if (latency == null) {
            return;
        }
        Latency floatLatency = baseline == null ? null : baseline.latency();
        out.println("Latency:      median " + milliseconds(latency.medianMs()) + " (p10 " + milliseconds(latency.p10Ms())
                + ", p90 " + milliseconds(latency.p90Ms()) + ", " + count(latency.threads(), "thread") + "; float model "
                + (floatLatency == null ? "not measured" : milliseconds(floatLatency.medianMs())) + ")");
        if (floatLatency != null && latency.medianMs() > floatLatency.medianMs()) {
            out.println("Note:         the winner is slower than the float model on this machine; no candidate that "
                    + "meets the goal ran faster. Keep the float model if latency matters most.");
        }
    }

    private static String count(int value, String noun) {
        return value + " " + noun + (value == 1 ? "" : "s");
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String milliseconds(double value) {
        return String.format(Locale.ROOT, "%.2f ms", value);
    }

    private static String goalText(SearchReport report) {
        return switch (report.goal().dropMode()) {
            case ABSOLUTE -> number(report.goal().maxDrop());
            case RELATIVE -> number(report.goal().maxDrop() * 100) + " %";
        };
    }

    private static String number(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String mebibytes(Cost cost) {
        return cost == null ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", cost.modelBytes() / 1048576.0);
    }

    private static String seconds(long milliseconds) {
        return String.format(Locale.ROOT, "%.1f s", milliseconds / 1000.0);
    }
}
