package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.SensitivityMode;
import java.util.Comparator;
import java.util.List;

/**
 * Draws per-node sensitivity as a horizontal bar chart in inline SVG, one bar per node, the
 * most sensitive node on top. With {@link SensitivityMode#ONLY_QUANTIZED} a larger drop means a
 * more sensitive node; with {@link SensitivityMode#ONLY_FLOAT} a smaller drop does, because
 * keeping that node in float recovers the most. Shows at most {@link #MAX_BARS} bars.
 */
final class SensitivityChartSvg {

    static final int MAX_BARS = 40;

    private static final int WIDTH = 720;
    private static final int LABEL_WIDTH = 260;
    private static final int RIGHT = 70;
    private static final int TOP = 24;
    private static final int BAR_HEIGHT = 16;
    private static final int ROW_HEIGHT = 22;
    private static final int MAX_LABEL_CHARS = 38;

    private SensitivityChartSvg() {
    }

    /** Returns {@code probes} of one mode, most sensitive first; ties by node name. */
    static List<NodeSensitivity> mostSensitiveFirst(List<NodeSensitivity> probes, SensitivityMode mode) {
        Comparator<NodeSensitivity> byDrop = Comparator.comparingDouble(NodeSensitivity::drop);
        if (mode == SensitivityMode.ONLY_QUANTIZED) {
            byDrop = byDrop.reversed();
        }
        return probes.stream().filter(probe -> probe.mode() == mode)
                .sorted(byDrop.thenComparing(NodeSensitivity::node)).toList();
    }

    static String render(List<NodeSensitivity> sortedProbes, SensitivityMode mode) {
        List<NodeSensitivity> bars = sortedProbes.subList(0, Math.min(MAX_BARS, sortedProbes.size()));
        List<Double> drops = bars.stream().map(NodeSensitivity::drop).filter(Double::isFinite).toList();
        double low = Math.min(0, drops.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        double high = Math.max(0, drops.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        LinearScale x = new LinearScale(low, high, LABEL_WIDTH, WIDTH - RIGHT, 5);
        int height = TOP + bars.size() * ROW_HEIGHT + 10;

        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"sensitivity\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\">\n<title>drop of the goal metric per node, ").append(mode.label()).append("</title>\n");
        for (double tick : x.ticks()) {
            String px = Html.coordinate(x.pixel(tick));
            svg.append("<line class=\"grid\" x1=\"").append(px).append("\" y1=\"").append(TOP - 4)
                    .append("\" x2=\"").append(px).append("\" y2=\"").append(height - 10).append("\"/>\n");
            svg.append("<text class=\"tick\" x=\"").append(px).append("\" y=\"").append(TOP - 8)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(Html.number(tick))).append("</text>\n");
        }
        double zero = x.pixel(0);
        for (int row = 0; row < bars.size(); row++) {
            appendBar(svg, bars.get(row), TOP + row * ROW_HEIGHT, x, zero);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void appendBar(StringBuilder svg, NodeSensitivity probe, int top, LinearScale x, double zero) {
        double drop = probe.drop();
        double end = Double.isFinite(drop) ? x.pixel(drop) : zero;
        double left = Math.min(zero, end);
        double width = Math.max(1, Math.abs(end - zero));
        String name = probe.node().length() > MAX_LABEL_CHARS
                ? probe.node().substring(0, MAX_LABEL_CHARS - 1) + "…" : probe.node();
        int textY = top + BAR_HEIGHT - 4;
        svg.append("<text class=\"bar-label\" x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(textY)
                .append("\" text-anchor=\"end\">").append(Html.escape(name)).append("<title>")
                .append(Html.escape(probe.node())).append("</title></text>\n");
        svg.append("<rect class=\"bar").append(drop < 0 ? " gain" : "").append("\" x=\"")
                .append(Html.coordinate(left)).append("\" y=\"").append(top).append("\" width=\"")
                .append(Html.coordinate(width)).append("\" height=\"").append(BAR_HEIGHT).append("\"><title>")
                .append(Html.escape(probe.node())).append(": drop ").append(Html.escape(Html.number(drop)))
                .append("</title></rect>\n");
        svg.append("<text class=\"bar-value\" x=\"").append(Html.coordinate(Math.max(zero, end) + 4))
                .append("\" y=\"").append(textY).append("\">").append(Html.escape(Html.number(drop)))
                .append("</text>\n");
    }
}
