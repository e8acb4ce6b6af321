package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.SensitivityMode;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ReportHtmlTest {

    private static final String SCRIPT_NODE = "<script>alert('node')</script>";

    @Test
    void nodeNameWithScriptIsEscaped() {
        String html = ReportHtml.render(SampleReports.sample());

        assertThat(html).doesNotContain("<script");
        assertThat(html).contains(Html.escape(SCRIPT_NODE));
        assertThat(Html.escape(SCRIPT_NODE)).isEqualTo("&lt;script&gt;alert(&#39;node&#39;)&lt;/script&gt;");
    }

    @Test
    void pageReferencesNoUrlAndNoScript() {
        String html = ReportHtml.render(SampleReports.sample());

        assertThat(html).doesNotContainIgnoringCase("http://");
        assertThat(html).doesNotContainIgnoringCase("https://");
        assertThat(html).doesNotContainIgnoringCase("<script");
        assertThat(html).doesNotContainIgnoringCase("<link");
        assertThat(html).doesNotContainIgnoringCase("<img");
        assertThat(html).doesNotContainIgnoringCase("url(");
        assertThat(html).contains("default-src 'none'");
    }

    @Test
    void paretoPlotMarksWinnerFrontAndThreshold() {
        SearchReport report = SampleReports.sample();
        String html = ReportHtml.render(report);
        String winnerId = report.winner().candidateId();

        assertThat(html).contains("<svg class=\"pareto\"");
        assertThat(html).contains("<circle class=\"point winner\" data-candidate=\"" + winnerId + "\"");
        assertThat(html).contains("winner " + winnerId + "</text>");
        assertThat(html).contains("<polyline class=\"front\"");
        assertThat(html).contains("acceptable limit 0.99</text>");
        assertThat(html).contains("model size (MB)");
        long plottedPoints = report.candidates().stream().filter(CandidateEntry::isOk).count();
        assertThat(countOccurrences(html, "<circle class=\"point")).isEqualTo(plottedPoints);
    }

    @Test
    void frontLineFollowsFrontOrder() {
        SearchReport report = SampleReports.sample();
        String html = ReportHtml.render(report);

        String points = html.substring(html.indexOf("<polyline class=\"front\" points=\"") + 32);
        points = points.substring(0, points.indexOf('"'));
        String[] vertices = points.split(" ");
        assertThat(vertices).hasSize(report.paretoFront().candidateIds().size());
        double previousX = Double.NEGATIVE_INFINITY;
        for (String vertex : vertices) {
            double x = Double.parseDouble(vertex.split(",")[0]);
            assertThat(x).isGreaterThanOrEqualTo(previousX);
            previousX = x;
        }
    }

    @Test
    void showsGoalVerdictAndWinnerAgainstFloat() {
        SearchReport report = SampleReports.sample();
        String html = ReportHtml.render(report);

        assertThat(report.acceptable()).isTrue();
        assertThat(html).contains("<span class=\"verdict met\">Goal met</span>");
        assertThat(html).contains("within an absolute drop of 0.01 of the float model (limit 0.99)");
        assertThat(html).contains("4 MB (4000000 bytes)");
        assertThat(html).contains("8 ms (7.6–8.8)");
        assertThat(html).contains("cosine (goal)");
        assertThat(html).contains("No space left on device");
        assertThat(html).contains("Could not find an implementation for DequantizeLinear(21)");
    }

    @Test
    void winnerTableHidesBaselineTaskMetricKeys() {
        SearchReport sample = SampleReports.sample();
        Winner winner = sample.winner();
        SortedMap<String, Double> metrics = new TreeMap<>(winner.metrics());
        metrics.put(ModelEvaluator.BASELINE_PREFIX + "cosine", 1.0);
        Winner withBaselineKey = new Winner(winner.candidateId(), winner.config(), metrics, winner.cost(),
                winner.nodesInHigherPrecision());

        String html = ReportHtml.render(withWinner(sample, withBaselineKey));

        assertThat(html).doesNotContain(ModelEvaluator.BASELINE_PREFIX + "cosine");
        assertThat(html).contains("<td>cosine (goal)</td>");
        assertThat(html).contains("<td>mse</td>");
    }

    @Test
    void relativeGoalAndDropsShowInPercent() {
        SearchReport sample = SampleReports.sample();
        Goal absolute = sample.goal();
        Goal relative = new Goal(absolute.metric(), absolute.direction(), 0.01, DropMode.RELATIVE,
                absolute.objective(), absolute.budget());
        SearchReport report = new SearchReport(relative, sample.acceptable(), sample.winner(), sample.baseline(),
                sample.candidates(), sample.sensitivity(), sample.paretoFront(), sample.search(), sample.provenance());
        CandidateEntry first = report.candidates().get(0);
        double drop = relative.drop(1.0, first.metrics().get("cosine"));

        String html = ReportHtml.render(report);

        assertThat(html).contains("within 1 % of the float model (limit 0.99)");
        assertThat(html).doesNotContain("relative drop of");
        assertThat(html).contains("<td class=\"num\">" + Html.number(drop * 100) + " %</td>");
    }

    @Test
    void absoluteGoalKeepsDropsInMetricUnits() {
        SearchReport report = SampleReports.sample();
        CandidateEntry first = report.candidates().get(0);
        double drop = report.goal().drop(1.0, first.metrics().get("cosine"));

        String html = ReportHtml.render(report);

        assertThat(html).contains("<th>drop</th>");
        assertThat(html).contains("<td class=\"num\">" + Html.number(drop) + "</td>");
    }

    @Test
    void cachedProbesAreMarkedAndCounted() {
        SearchReport sample = SampleReports.sample();
        List<CandidateEntry> candidates = new ArrayList<>();
        for (CandidateEntry candidate : sample.candidates()) {
            boolean cached = candidate.kind() == CandidateKind.SENSITIVITY;
            candidates.add(new CandidateEntry(candidate.candidateId(), candidate.round(), candidate.kind(),
                    candidate.config(), candidate.status(), candidate.metrics(), candidate.cost(), candidate.reason(),
                    cached));
        }
        long cachedCount = candidates.stream().filter(CandidateEntry::cached).count();
        SearchReport report = new SearchReport(sample.goal(), sample.acceptable(), sample.winner(), sample.baseline(),
                candidates, sample.sensitivity(), sample.paretoFront(), sample.search(), sample.provenance());

        String html = ReportHtml.render(report);

        assertThat(cachedCount).isEqualTo(3);
        assertThat(countOccurrences(html, "<td>SENSITIVITY (cached)</td>")).isEqualTo(cachedCount);
        assertThat(html).contains("3 sensitivity probes came from the sensitivity cache of an earlier search and "
                + "used no trial");
        assertThat(ReportHtml.render(sample)).doesNotContain("(cached)", "came from the sensitivity cache");
    }

    @Test
    void winnerLabelAtRightEdgeStaysInsidePlot() {
        SearchReport sample = SampleReports.sample();
        String winnerId = sample.winner().candidateId();
        // 9.7 MB widens the x axis to 10 MB, so the winner sits 18 px from the plot's right edge.
        Cost expensive = new Cost(9_700_000, 0.5, null);
        List<CandidateEntry> candidates = new ArrayList<>();
        for (CandidateEntry candidate : sample.candidates()) {
            candidates.add(!candidate.candidateId().equals(winnerId) ? candidate
                    : new CandidateEntry(winnerId, candidate.round(), candidate.kind(), candidate.config(),
                            candidate.status(), candidate.metrics(), expensive, candidate.reason()));
        }
        Winner winner = new Winner(winnerId, sample.winner().config(), sample.winner().metrics(), expensive,
                List.of());
        SearchReport report = new SearchReport(sample.goal(), sample.acceptable(), winner, sample.baseline(),
                candidates, sample.sensitivity(), sample.paretoFront(), sample.search(), sample.provenance());

        String html = ReportHtml.render(report);

        assertThat(html).contains("text-anchor=\"end\">winner " + winnerId + "</text>");
        assertThat(ReportHtml.render(sample)).contains("text-anchor=\"start\">winner " + winnerId + "</text>");
    }

    @Test
    void thresholdLabelSitsOnTheUnacceptableSide() {
        String html = ReportHtml.render(SampleReports.sample());

        assertThat(html).containsPattern("<text class=\"threshold-label\" x=\"[0-9.]+\" y=\"[0-9.]+\" dy=\"14\" "
                + "text-anchor=\"end\">acceptable limit 0.99</text>");
        assertThat(html).contains("text-anchor=\"end\">float</text>");
    }

    private static SearchReport withWinner(SearchReport sample, Winner winner) {
        return new SearchReport(sample.goal(), sample.acceptable(), winner, sample.baseline(), sample.candidates(),
                sample.sensitivity(), sample.paretoFront(), sample.search(), sample.provenance());
    }

    @Test
    void sensitivityIsSortedMostSensitiveFirst() {
        SearchReport report = SampleReports.sample();
        List<NodeSensitivity> sorted = SensitivityChartSvg.mostSensitiveFirst(report.sensitivity(),
                SensitivityMode.ONLY_QUANTIZED);

        assertThat(sorted).hasSize(5);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).drop()).isLessThanOrEqualTo(sorted.get(i - 1).drop());
        }
        String chart = SensitivityChartSvg.render(sorted, SensitivityMode.ONLY_QUANTIZED);
        int firstBar = chart.indexOf(Html.escape(sorted.get(0).node()) + "<title>");
        int lastBar = chart.indexOf(Html.escape(sorted.get(4).node()) + "<title>");
        assertThat(firstBar).isPositive();
        assertThat(lastBar).isGreaterThan(firstBar);
    }

    @Test
    void higherPrecisionNodesListed() {
        String html = ReportHtml.render(SampleReports.sample());

        assertThat(html).contains("<td>/pooler/Gemm</td><td>int16</td>"
                + "<td>int8 activations dropped cosine by 0.006; int16 by 0.0004</td>");
        assertThat(html).contains("<td>&lt;script&gt;alert(&#39;node&#39;)&lt;/script&gt;</td><td>float</td>");
    }

    @Test
    void reportWithoutWinnerRenders() {
        SearchReport sample = SampleReports.sample();
        List<CandidateEntry> failedOnly = sample.candidates().stream().filter(c -> !c.isOk()).toList();
        Goal goal = new Goal("mse", MetricDirection.LOWER_IS_BETTER, 0.5, DropMode.RELATIVE, Objective.LATENCY,
                new Budget(2, null, true));
        SearchReport report = new SearchReport(goal, false, null, sample.baseline(), failedOnly, List.of(),
                ParetoFront.compute(goal, CostAxis.LATENCY_MEDIAN_MS, failedOnly), sample.search(),
                sample.provenance());

        String html = ReportHtml.render(report);

        assertThat(html).contains("Goal not met");
        assertThat(html).contains("there is no winner");
        assertThat(html).contains("nothing to plot");
        assertThat(html).contains("no sensitivity probes");
        assertThat(html).contains("no deadline, stop at the first acceptable candidate");
        assertThat(SearchReport.fromJson(report.toJson())).isEqualTo(report);
    }

    @Test
    void writesUtf8File(@TempDir Path directory) throws Exception {
        SearchReport report = SampleReports.sample();
        Path file = directory.resolve("report.html");

        ReportHtml.write(report, file);

        assertThat(Files.readString(file)).isEqualTo(ReportHtml.render(report));
    }

    private static long countOccurrences(String text, String fragment) {
        long count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void lineageShowsEarlierSearchAndEvent() {
        SearchReport sample = SampleReports.sample();
        String winnerId = sample.winner().candidateId();
        SearchReport report = sample.withLineage(new Lineage("req-<1>", "2", winnerId,
                "bucket/models/m/3/model.onnx#v3", "S3_EVENT", "bucket", "models/m/3/model.onnx", "v3", null));

        String html = ReportHtml.render(report);

        assertThat(html).contains("<h2>Re-quantization</h2>");
        assertThat(html).contains("<dt>earlier request</dt><dd>req-&lt;1&gt;</dd>");
        assertThat(html).contains("<dt>earlier model version</dt><dd>2</dd>");
        assertThat(html).contains("<dd>" + winnerId + " – round ");
        assertThat(html).contains(", wins again</dd>");
        assertThat(html).contains("<dd>s3://bucket/models/m/3/model.onnx, version v3</dd>");
        assertThat(ReportHtml.render(sample)).doesNotContain("Re-quantization");
    }
}
