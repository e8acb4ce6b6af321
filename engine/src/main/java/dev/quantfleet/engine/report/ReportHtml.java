package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.SensitivityMode;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import dev.quantfleet.engine.runtime.Provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders {@code report.html}: one self-contained page with inline CSS and inline SVG, no script
 * and no reference to any URL, so it opens offline. A Content-Security-Policy meta tag
 * ({@code default-src 'none'}) also stops the browser from fetching anything. Every text that
 * comes from the report (node names, ids, reasons, metric names) is HTML-escaped.
 */
public final class ReportHtml {

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1040px;\
            color:#1d2430;padding:0 16px}
            h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d6dbe3;\
            padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
            table{border-collapse:collapse;margin:6px 0;font-size:13px}
            th,td{border:1px solid #d6dbe3;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f1f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.winner td{background:#e6f4ea;font-weight:600}tr.not-ok td{color:#8a4b00}
            .verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600}
            .met{background:#e6f4ea;color:#17612e}.not-met{background:#fde8e8;color:#9b1c1c}
            .muted{color:#5d6675}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}
            dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{font-weight:600}dd{margin:0}
            svg text{font:12px system-ui,sans-serif;fill:#1d2430}
            .grid{stroke:#e6e9ef}.axis{stroke:#1d2430}.label{font-weight:600}
            .threshold{stroke:#c62828;stroke-dasharray:6 4;stroke-width:1.5}text.threshold-label{fill:#c62828}
            .front{fill:none;stroke:#1a73e8;stroke-width:2}
            .point{fill:#9aa4b2;stroke:#fff}.point.on-front{fill:#1a73e8}
            .point.winner{fill:#f9a825;stroke:#1d2430;stroke-width:2}text.winner-label{font-weight:700}
            .baseline{fill:none;stroke:#1d2430;stroke-width:2}
            .bar{fill:#e07b39}.bar.gain{fill:#43a047}
            """;

    private ReportHtml() {
    }

    /** Writes {@link #render} to {@code file} in UTF-8. */
    public static void write(SearchReport report, Path file) {
        try {
            Files.writeString(file, render(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the HTML report to " + file, e);
        }
    }

    /** Returns the complete HTML page for {@code report}. */
    public static String render(SearchReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'\">\n")
                .append("<title>Quantfleet search report</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n<h1>Quantfleet search report</h1>\n");
        appendGoal(html, report);
        appendLineage(html, report);
        appendWinner(html, report);
        html.append("<h2>Quality against cost</h2>\n<p class=\"muted\">Every OK candidate; the blue line joins the")
                .append(" Pareto front, the winner is the large yellow point, the hollow circle is the float model and")
                .append(" the dashed red line is the worst acceptable ").append(Html.escape(report.goal().metric()))
                .append(".</p>\n").append(ParetoPlotSvg.render(report));
        appendSensitivity(html, report);
        appendHigherPrecision(html, report);
        appendCandidates(html, report);
        appendSearch(html, report.search());
        appendProvenance(html, report.provenance());
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void appendGoal(StringBuilder html, SearchReport report) {
        Goal goal = report.goal();
        html.append("<h2>Goal</h2>\n<p>Keep <b>").append(Html.escape(goal.metric())).append("</b> (")
                .append(goal.direction() == MetricDirection.HIGHER_IS_BETTER ? "higher" : "lower")
                .append(" is better) within ")
                .append(goal.dropMode() == DropMode.ABSOLUTE
                        ? "an absolute drop of " + Html.escape(Html.number(goal.maxDrop()))
                        : Html.escape(Html.number(goal.maxDrop() * 100)) + " %")
                .append(" of the float model (limit ")
                .append(Html.escape(Html.number(goal.thresholdValue(report.baselineGoalMetric()))))
                .append("), then minimise ").append(objectiveText(goal.objective())).append(".</p>\n");
        Budget budget = goal.budget();
        html.append("<p class=\"muted\">Budget: at most ").append(budget.maxTrials()).append(" trials, ")
                .append(budget.deadlineMs() == null ? "no deadline" : "deadline " + budget.deadlineMs() + " ms")
                .append(budget.stopAtFirstAcceptable() ? ", stop at the first acceptable candidate" : "")
                .append(".</p>\n");
        html.append("<p><span class=\"verdict ").append(report.acceptable() ? "met\">Goal met" : "not-met\">Goal not met")
                .append("</span> ");
        if (report.winner() == null) {
            html.append("No candidate was evaluated successfully, so there is no winner.");
        } else {
            html.append("Winner: <b>").append(Html.escape(report.winner().candidateId())).append("</b>");
            if (!report.acceptable()) {
                html.append(" (the best candidate found, but it exceeds the allowed drop)");
            }
        }
        html.append("</p>\n");
    }

    /** Describes where a re-quantization came from and how the earlier winner did on the new model version. */
    private static void appendLineage(StringBuilder html, SearchReport report) {
        Lineage lineage = report.lineage();
        if (lineage == null) {
            return;
        }
        html.append("<h2>Re-quantization</h2>\n<p>A new model version started this search. It evaluated the")
                .append(" winner of the search on the earlier version as a warm start.</p>\n<dl>\n");
        definition(html, "earlier request", lineage.previousRequestId());
        definition(html, "earlier model version", lineage.previousModelVersion());
        definition(html, "earlier winner", lineage.previousWinnerCandidateId() + " – "
                + earlierWinnerResult(report, lineage.previousWinnerCandidateId()));
        definition(html, "event", lineage.eventId() + " (" + lineage.eventSource() + ")");
        if (lineage.objectKey() != null) {
            definition(html, "object", "s3://" + lineage.bucket() + "/" + lineage.objectKey()
                    + (lineage.objectVersionId() == null ? "" : ", version " + lineage.objectVersionId())
                    + (lineage.objectETag() == null ? "" : ", ETag " + lineage.objectETag()));
        }
        html.append("</dl>\n");
    }

    private static String earlierWinnerResult(SearchReport report, String candidateId) {
        boolean wins = report.winner() != null && report.winner().candidateId().equals(candidateId);
        return report.candidate(candidateId).map(candidate -> {
            if (!candidate.isOk()) {
                return "round " + candidate.round() + ", " + candidate.status() + " on this version";
            }
            Double value = candidate.metrics().get(report.goal().metric());
            return "round " + candidate.round() + ", " + report.goal().metric() + " "
                    + (value == null ? "–" : Html.number(value)) + (wins ? ", wins again" : ", beaten here");
        }).orElse("not evaluated in this search");
    }

    private static String objectiveText(Objective objective) {
        return switch (objective) {
            case SIZE -> "model size";
            case LATENCY -> "median latency";
            case COMPUTE -> "the share of multiply-accumulates left in float";
        };
    }

    private static void appendWinner(StringBuilder html, SearchReport report) {
        Winner winner = report.winner();
        if (winner == null) {
            return;
        }
        Baseline baseline = report.baseline();
        html.append("<h2>Winner ").append(Html.escape(winner.candidateId())).append(" against the float model</h2>\n");
        HtmlTable table = new HtmlTable("compare", "", "float model", "winner", "change");
        // The baseline.<metric> keys repeat the float model's task metrics, which the float column already shows.
        Set<String> metrics = new TreeSet<>(baseline.metrics().keySet());
        metrics.addAll(winner.metrics().keySet());
        metrics.removeIf(metric -> metric.startsWith(ModelEvaluator.BASELINE_PREFIX));
        for (String metric : metrics) {
            Double before = baseline.metrics().get(metric);
            Double after = winner.metrics().get(metric);
            table.row().cell(metric.equals(report.goal().metric()) ? metric + " (goal)" : metric)
                    .numberCell(before == null ? "–" : Html.number(before))
                    .numberCell(after == null ? "–" : Html.number(after))
                    .numberCell(before == null || after == null ? "–" : Html.signed(after - before));
        }
        long beforeBytes = baseline.cost().modelBytes();
        long afterBytes = winner.cost().modelBytes();
        table.row().cell("model size").numberCell(Html.bytes(beforeBytes)).numberCell(Html.bytes(afterBytes))
                .numberCell(beforeBytes == 0 ? "–" : "× " + Html.ratio((double) afterBytes / beforeBytes));
        table.row().cell("median latency (p10–p90)").numberCell(latencyText(baseline.cost().latency()))
                .numberCell(latencyText(winner.cost().latency()))
                .numberCell(latencyRatio(baseline.cost(), winner.cost()));
        table.row().cell("integer share of MACs").numberCell(Html.percent(baseline.cost().integerMacShare()))
                .numberCell(Html.percent(winner.cost().integerMacShare())).numberCell("");
        html.append(table.build());
        html.append("<details><summary>Quantization configuration of the winner</summary>\n<pre>")
                .append(Html.escape(winner.config().toJson())).append("</pre></details>\n");
    }

    private static String latencyText(Latency latency) {
        if (latency == null) {
            return "not measured";
        }
        return Html.number(latency.medianMs()) + " ms (" + Html.number(latency.p10Ms()) + "–"
                + Html.number(latency.p90Ms()) + ")";
    }

    private static String latencyRatio(Cost before, Cost after) {
        if (before.latency() == null || after.latency() == null || before.latency().medianMs() == 0) {
            return "–";
        }
        return "× " + Html.ratio(after.latency().medianMs() / before.latency().medianMs());
    }

    private static void appendSensitivity(StringBuilder html, SearchReport report) {
        html.append("<h2>Per-node sensitivity</h2>\n");
        if (report.sensitivity().isEmpty()) {
            html.append("<p class=\"muted\">The search ran no sensitivity probes.</p>\n");
            return;
        }
        for (SensitivityMode mode : SensitivityMode.values()) {
            List<NodeSensitivity> probes = SensitivityChartSvg.mostSensitiveFirst(report.sensitivity(), mode);
            if (probes.isEmpty()) {
                continue;
            }
            html.append("<h3>").append(mode.label()).append(": ").append(mode == SensitivityMode.ONLY_QUANTIZED
                    ? "drop of " + Html.escape(report.goal().metric()) + " when only this node is quantized"
                    : "drop of " + Html.escape(report.goal().metric()) + " when only this node stays in float")
                    .append(", most sensitive first</h3>\n");
            html.append(SensitivityChartSvg.render(probes, mode));
            if (probes.size() > SensitivityChartSvg.MAX_BARS) {
                html.append("<p class=\"muted\">The chart shows the ").append(SensitivityChartSvg.MAX_BARS)
                        .append(" most sensitive of ").append(probes.size()).append(" nodes; the table lists all.</p>\n");
            }
            HtmlTable table = new HtmlTable("sensitivity", "node", "op type", "metric", "drop", "cached");
            for (NodeSensitivity probe : probes) {
                table.row().cell(probe.node()).cell(probe.opType() == null ? "–" : probe.opType())
                        .numberCell(Html.number(probe.metricValue())).numberCell(Html.number(probe.drop()))
                        .cell(probe.cached() ? "yes" : "no");
            }
            html.append("<details><summary>All ").append(probes.size()).append(" nodes</summary>\n")
                    .append(table.build()).append("</details>\n");
        }
    }

    private static void appendHigherPrecision(StringBuilder html, SearchReport report) {
        html.append("<h2>Nodes kept in higher precision</h2>\n");
        List<HigherPrecisionNode> nodes = report.winner() == null ? List.of() : report.winner().nodesInHigherPrecision();
        if (nodes.isEmpty()) {
            html.append("<p class=\"muted\">None: the winner quantizes every selected node with its configured types.</p>\n");
            return;
        }
        HtmlTable table = new HtmlTable("higher-precision", "node", "precision", "reason");
        for (HigherPrecisionNode node : nodes) {
            table.row().cell(node.node()).cell(node.precision().label()).cell(node.reason());
        }
        html.append(table.build());
    }

    private static void appendCandidates(StringBuilder html, SearchReport report) {
        String metric = report.goal().metric();
        double baselineValue = report.baselineGoalMetric();
        Set<String> front = new HashSet<>(report.paretoFront().candidateIds());
        String winnerId = report.winner() == null ? null : report.winner().candidateId();
        long cachedCount = report.candidates().stream().filter(CandidateEntry::cached).count();
        html.append("<h2>Candidates (").append(report.candidates().size()).append(")</h2>\n");
        if (cachedCount > 0) {
            html.append("<p class=\"muted\">").append(cachedCount).append(cachedCount == 1 ? " sensitivity probe"
                    : " sensitivity probes").append(" came from the sensitivity cache of an earlier search ")
                    .append("and used no trial; the kind column marks them as cached.</p>\n");
        }
        HtmlTable table = new HtmlTable("candidates", "id", "round", "kind", "status", metric, "drop", "size",
                "median latency", "integer share", "on front", "reason");
        for (CandidateEntry candidate : report.candidates()) {
            String rowClass = candidate.candidateId().equals(winnerId) ? "winner" : candidate.isOk() ? null : "not-ok";
            Double value = candidate.metrics().get(metric);
            Cost cost = candidate.cost();
            table.row(rowClass).cell(candidate.candidateId()).numberCell(Integer.toString(candidate.round()))
                    .cell(candidate.cached() ? candidate.kind().name() + " (cached)" : candidate.kind().name())
                    .cell(candidate.status().name())
                    .numberCell(value == null ? "–" : Html.number(value))
                    .numberCell(value == null ? "–" : dropText(report.goal(), baselineValue, value))
                    .numberCell(cost == null ? "–" : Html.decimalBytes(cost.modelBytes()))
                    .numberCell(cost == null || cost.latency() == null ? "–" : Html.number(cost.latency().medianMs()) + " ms")
                    .numberCell(cost == null ? "–" : Html.percent(cost.integerMacShare()))
                    .cell(front.contains(candidate.candidateId()) ? "yes" : "")
                    .cell(candidate.reason() == null ? "" : candidate.reason());
        }
        html.append(table.build());
    }

    /** Formats a candidate's drop: in percent for a relative goal, in the metric's units for an absolute one. */
    private static String dropText(Goal goal, double baselineValue, double value) {
        double drop = goal.drop(baselineValue, value);
        return goal.dropMode() == DropMode.RELATIVE ? Html.number(drop * 100) + " %" : Html.number(drop);
    }

    private static void appendSearch(StringBuilder html, SearchSummary search) {
        html.append("<h2>Search</h2>\n<dl>\n");
        definition(html, "strategy", search.strategy());
        definition(html, "seed", Long.toString(search.seed()));
        definition(html, "rounds", Integer.toString(search.rounds()));
        definition(html, "trials", Integer.toString(search.trials()));
        definition(html, "stop reason", search.stopReason());
        definition(html, "wall time", search.wallTimeMs() + " ms");
        definition(html, "threads", Integer.toString(search.threads()));
        html.append("</dl>\n");
    }

    private static void appendProvenance(StringBuilder html, Provenance provenance) {
        html.append("<h2>Provenance</h2>\n<dl>\n");
        definition(html, "Quantfleet", provenance.quantfleetVersion());
        definition(html, "ONNX Runtime", provenance.onnxRuntimeVersion());
        definition(html, "execution provider", provenance.executionProvider());
        definition(html, "threads", Integer.toString(provenance.threads()));
        definition(html, "CPU", provenance.cpuFeatures());
        if (provenance.device() != null) {
            definition(html, "device", provenance.device());
        }
        html.append("</dl>\n");
    }

    private static void definition(StringBuilder html, String term, String description) {
        html.append("<dt>").append(Html.escape(term)).append("</dt><dd>").append(Html.escape(description))
                .append("</dd>\n");
    }
}
