package dev.quantfleet.engine.report;

import dev.quantfleet.engine.evaluation.MetricDirection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws the quality/cost scatter of the OK candidates as inline SVG. Cost is on the x axis (the
 * Pareto front's axis) and the goal metric on the y axis. The front is a connected line, the
 * winner a larger labelled point, the float model a hollow point, and the acceptability
 * threshold a dashed horizontal line. Candidates without the goal metric or a cost value are left out
 * and counted under the plot.
 */
final class ParetoPlotSvg {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 20;
    private static final int BOTTOM = 60;
    /** Share of the data range added on each side, so no point sits on an axis. */
    private static final double PAD_FRACTION = 0.03;
    /**
     * Estimated width of one character of a 12 px label, in pixels. It is an estimate for
     * system-ui fonts, used only to keep labels inside the plot.
     */
    private static final double LABEL_CHAR_WIDTH_PX = 7.5;

    private ParetoPlotSvg() {
    }

    private record Point(String candidateId, double cost, double quality) {
    }

    static String render(SearchReport report) {
        CostAxis axis = report.paretoFront().costAxis();
        String metric = report.goal().metric();
        List<Point> points = new ArrayList<>();
        int leftOut = 0;
        for (CandidateEntry candidate : report.candidates()) {
            if (!candidate.isOk()) {
                continue;
            }
            Double quality = candidate.metrics().get(metric);
            Double cost = axis.valueOf(candidate.cost());
            if (quality == null || cost == null || quality.isNaN() || cost.isNaN() || quality.isInfinite()) {
                leftOut++;
                continue;
            }
            points.add(new Point(candidate.candidateId(), cost, quality));
        }

        double baselineQuality = report.baselineGoalMetric();
        Double baselineCost = axis.valueOf(report.baseline().cost());
        double threshold = report.goal().thresholdValue(baselineQuality);

        List<Double> costs = new ArrayList<>(points.stream().map(Point::cost).toList());
        List<Double> qualities = new ArrayList<>(points.stream().map(Point::quality).toList());
        boolean drawBaseline = baselineCost != null && Double.isFinite(baselineQuality);
        if (drawBaseline) {
            costs.add(baselineCost);
            qualities.add(baselineQuality);
        }
        if (Double.isFinite(threshold)) {
            qualities.add(threshold);
        }
        if (points.isEmpty()) {
            return "<p class=\"muted\">No OK candidate has both the goal metric and a " + Html.escape(axis.label())
                    + ", so there is nothing to plot.</p>\n";
        }

        AxisUnit unit = AxisUnit.of(axis, costs.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        double costPad = (max(costs) - min(costs)) * PAD_FRACTION;
        double qualityPad = (max(qualities) - min(qualities)) * PAD_FRACTION;
        LinearScale x = new LinearScale((min(costs) - costPad) / unit.divisor(), (max(costs) + costPad) / unit.divisor(),
                LEFT, WIDTH - RIGHT, 6);
        LinearScale y = new LinearScale(min(qualities) - qualityPad, max(qualities) + qualityPad, HEIGHT - BOTTOM, TOP, 6);

        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"pareto\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\">\n");
        svg.append("<title>").append(Html.escape(metric)).append(" against ").append(Html.escape(unit.label()))
                .append("</title>\n");
        appendAxes(svg, x, y, unit, metric);
        appendThreshold(svg, y, threshold, report.goal().direction());
        appendFront(svg, report, points, x, y, unit);
        if (drawBaseline) {
            appendBaseline(svg, x.pixel(baselineCost / unit.divisor()), y.pixel(baselineQuality));
        }
        appendPoints(svg, report, points, x, y, unit);
        svg.append("</svg>\n");
        if (leftOut > 0) {
            svg.append("<p class=\"muted\">").append(leftOut).append(" OK candidate(s) lack the goal metric or a ")
                    .append(Html.escape(axis.label())).append(" and are not plotted.</p>\n");
        }
        return svg.toString();
    }

    private static void appendAxes(StringBuilder svg, LinearScale x, LinearScale y, AxisUnit unit, String metric) {
        int bottom = HEIGHT - BOTTOM;
        svg.append("<g class=\"axes\">\n");
        for (double tick : x.ticks()) {
            String px = Html.coordinate(x.pixel(tick));
            svg.append("<line class=\"grid\" x1=\"").append(px).append("\" y1=\"").append(TOP).append("\" x2=\"")
                    .append(px).append("\" y2=\"").append(bottom).append("\"/>\n");
            svg.append("<text class=\"tick\" x=\"").append(px).append("\" y=\"").append(bottom + 18)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(Html.number(tick))).append("</text>\n");
        }
        for (double tick : y.ticks()) {
            String py = Html.coordinate(y.pixel(tick));
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(py).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(py).append("\"/>\n");
            svg.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(py)
                    .append("\" dy=\"4\" text-anchor=\"end\">").append(Html.escape(Html.number(tick)))
                    .append("</text>\n");
        }
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(bottom).append("\"/>\n");
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(bottom).append("\"/>\n");
        svg.append("<text class=\"label\" x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"")
                .append(HEIGHT - 14).append("\" text-anchor=\"middle\">").append(Html.escape(unit.label()))
                .append(" — lower is cheaper</text>\n");
        int middle = (TOP + bottom) / 2;
        svg.append("<text class=\"label\" x=\"16\" y=\"").append(middle).append("\" text-anchor=\"middle\"")
                .append(" transform=\"rotate(-90 16 ").append(middle).append(")\">").append(Html.escape(metric))
                .append("</text>\n");
        svg.append("</g>\n");
    }

    /**
     * Draws the threshold line with its label on the unacceptable side of the line, the side away
     * from the float model's point, so that the label and the "float" label never overlap.
     */
    private static void appendThreshold(StringBuilder svg, LinearScale y, double threshold,
                                        MetricDirection direction) {
        if (!Double.isFinite(threshold)) {
            return;
        }
        String py = Html.coordinate(y.pixel(threshold));
        String dy = direction == MetricDirection.HIGHER_IS_BETTER ? "14" : "-5";
        svg.append("<line class=\"threshold\" x1=\"").append(LEFT).append("\" y1=\"").append(py).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(py).append("\"/>\n");
        svg.append("<text class=\"threshold-label\" x=\"").append(WIDTH - RIGHT - 4).append("\" y=\"").append(py)
                .append("\" dy=\"").append(dy).append("\" text-anchor=\"end\">acceptable limit ")
                .append(Html.escape(Html.number(threshold))).append("</text>\n");
    }

    private static void appendFront(StringBuilder svg, SearchReport report, List<Point> points, LinearScale x,
                                    LinearScale y, AxisUnit unit) {
        List<String> coordinates = new ArrayList<>();
        for (String id : report.paretoFront().candidateIds()) {
            points.stream().filter(point -> point.candidateId().equals(id)).findFirst().ifPresent(point ->
                    coordinates.add(Html.coordinate(x.pixel(point.cost() / unit.divisor())) + ","
                            + Html.coordinate(y.pixel(point.quality()))));
        }
        if (coordinates.size() > 1) {
            svg.append("<polyline class=\"front\" points=\"").append(String.join(" ", coordinates)).append("\"/>\n");
        }
    }

    private static void appendBaseline(StringBuilder svg, double px, double py) {
        svg.append("<circle class=\"baseline\" cx=\"").append(Html.coordinate(px)).append("\" cy=\"")
                .append(Html.coordinate(py)).append("\" r=\"6\"><title>float model</title></circle>\n");
        String text = "float";
        boolean fitsOnTheLeft = px - 9 - labelWidthPx(text) >= LEFT;
        svg.append("<text class=\"point-label\" x=\"").append(Html.coordinate(fitsOnTheLeft ? px - 9 : px + 9))
                .append("\" y=\"").append(Html.coordinate(py)).append("\" dy=\"4\" text-anchor=\"")
                .append(fitsOnTheLeft ? "end" : "start").append("\">").append(text).append("</text>\n");
    }

    private static void appendPoints(StringBuilder svg, SearchReport report, List<Point> points, LinearScale x,
                                     LinearScale y, AxisUnit unit) {
        Set<String> front = new HashSet<>(report.paretoFront().candidateIds());
        String winnerId = report.winner() == null ? null : report.winner().candidateId();
        Point winner = null;
        for (Point point : points) {
            if (point.candidateId().equals(winnerId)) {
                winner = point;
                continue;
            }
            String cssClass = front.contains(point.candidateId()) ? "point on-front" : "point";
            appendPoint(svg, point, cssClass, 4, x, y, unit);
        }
        if (winner != null) {
            appendPoint(svg, winner, "point winner", 7, x, y, unit);
            appendWinnerLabel(svg, winner, x.pixel(winner.cost() / unit.divisor()), y.pixel(winner.quality()));
        }
    }

    /** Labels the winner on the right of its point, or on the left where the label would pass the plot's edge. */
    private static void appendWinnerLabel(StringBuilder svg, Point winner, double px, double py) {
        String text = "winner " + winner.candidateId();
        boolean fitsOnTheRight = px + 10 + labelWidthPx(text) <= WIDTH - RIGHT;
        svg.append("<text class=\"winner-label\" x=\"").append(Html.coordinate(fitsOnTheRight ? px + 10 : px - 10))
                .append("\" y=\"").append(Html.coordinate(py)).append("\" dy=\"-8\" text-anchor=\"")
                .append(fitsOnTheRight ? "start" : "end").append("\">").append(Html.escape(text)).append("</text>\n");
    }

    private static double labelWidthPx(String text) {
        return text.length() * LABEL_CHAR_WIDTH_PX;
    }

    private static void appendPoint(StringBuilder svg, Point point, String cssClass, int radius, LinearScale x,
                                    LinearScale y, AxisUnit unit) {
        svg.append("<circle class=\"").append(cssClass).append("\" data-candidate=\"")
                .append(Html.escape(point.candidateId())).append("\" cx=\"")
                .append(Html.coordinate(x.pixel(point.cost() / unit.divisor()))).append("\" cy=\"")
                .append(Html.coordinate(y.pixel(point.quality()))).append("\" r=\"").append(radius).append("\">")
                .append("<title>").append(Html.escape(point.candidateId())).append(": ")
                .append(Html.escape(Html.number(point.quality()))).append(" at ")
                .append(Html.escape(Html.number(point.cost() / unit.divisor()))).append(' ')
                .append(Html.escape(unit.symbol())).append("</title></circle>\n");
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /** The unit the x axis is drawn in: bytes are shown in kB, MB or GB so tick labels stay short. */
    private record AxisUnit(String label, String symbol, double divisor) {

        static AxisUnit of(CostAxis axis, double maxValue) {
            return switch (axis) {
                case MODEL_BYTES -> maxValue >= 1e9 ? new AxisUnit("model size (GB)", "GB", 1e9)
                        : maxValue >= 1e6 ? new AxisUnit("model size (MB)", "MB", 1e6)
                        : maxValue >= 1e3 ? new AxisUnit("model size (kB)", "kB", 1e3)
                        : new AxisUnit("model size (bytes)", "bytes", 1);
                case LATENCY_MEDIAN_MS -> new AxisUnit(axis.label(), "ms", 1);
                case FLOAT_MAC_SHARE -> new AxisUnit(axis.label(), "", 1);
            };
        }
    }
}
