package dev.quantfleet.cli;

import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantizationResult.OpsetChange;
import dev.quantfleet.engine.quantize.QuantizationResult.QuantizedNode;
import dev.quantfleet.engine.quantize.QuantizationResult.SkippedSubgraph;
import dev.quantfleet.engine.quantize.QuantizationResult.Summary;
import dev.quantfleet.engine.quantize.QuantizationResult.UntouchedNode;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Prints what {@code apply} did: configuration, calibration, the quantized, excluded and
 * skipped nodes with their reasons, the opset change, the output file and the time per step.
 * Excluded and skipped nodes are grouped by op type and reason, with quoted value names left
 * out of the reason, with up to
 * {@value #NODE_NAMES_SHOWN} node names per group and up to {@value #REASON_GROUPS_SHOWN}
 * groups; {@code --summary-json} writes every node.
 */
final class ApplyReport {

    static final int NODE_NAMES_SHOWN = 5;
    static final int REASON_GROUPS_SHOWN = 12;

    private final PrintWriter out;
    private final Map<String, Long> stepNanos = new LinkedHashMap<>();

    ApplyReport(PrintWriter out) {
        this.out = out;
    }

    void config(String label, QuantConfig config) {
        String calibration = config.format() == QuantFormat.Dynamic ? "no calibration"
                : "calibration " + config.calibrationMethod();
        line("Config:       %s: %s, activations %s %s, weights %s %s%s, %s", label, config.format(),
                config.activationType(), symmetry(config.activationSymmetric()),
                config.weightType(), symmetry(config.weightSymmetric()),
                config.perChannel() ? " per channel" : " per tensor", calibration);
    }

    void calibration(int tensorCount, int sampleCount, String description) {
        String samples = sampleCount == SampleSource.UNKNOWN_SIZE ? "all samples" : sampleCount + " samples";
        line("Calibration:  %d tensors over %s of %s", tensorCount, samples, description);
    }

    void note(String text) {
        line("Note:         %s", text);
    }

    void warning(String text) {
        line("Warning:      %s", text);
    }

    /** Records the time of a step that started at {@code startNanos} and ends now. */
    void step(String name, long startNanos) {
        stepNanos.put(name, System.nanoTime() - startNanos);
    }

    void result(Summary summary, Path model, Path output, Path summaryJson) {
        printQuantized(summary.quantized());
        printUntouched("Excluded:", summary.excluded());
        printUntouched("Skipped:", summary.skipped());
        for (SkippedSubgraph subgraph : summary.skippedSubgraphs()) {
            line("Subgraph:     %s left unchanged: %s", subgraph.scope(), subgraph.reason());
        }
        line("Tensors:      %d weights quantized, %d biases as int32, %d activations with QuantizeLinear/"
                        + "DequantizeLinear, %d float constants removed",
                summary.quantizedWeightCount(), summary.quantizedBiasCount(), summary.quantizedActivationCount(),
                summary.removedFloatConstantCount());
        printOpset(summary.opsetChange());
        line("Output:       %s (%s; input %s)", output, FetchModelCommand.formatSize(output),
                FetchModelCommand.formatSize(model));
        if (summaryJson != null) {
            line("Summary:      %s", summaryJson);
        }
    }

    void elapsed(long startNanos) {
        String steps = stepNanos.entrySet().stream()
                .map(step -> step.getKey() + " " + seconds(step.getValue()))
                .collect(Collectors.joining(", "));
        line("Elapsed:      %s (%s)", seconds(System.nanoTime() - startNanos), steps);
        out.flush();
    }

    private void printQuantized(List<QuantizedNode> quantized) {
        line("Quantized:    %d nodes", quantized.size());
        Map<String, Integer> countsByOpAndTypes = new TreeMap<>();
        for (QuantizedNode node : quantized) {
            String key = node.node().opType() + " " + node.elementTypes();
            countsByOpAndTypes.merge(key, 1, Integer::sum);
        }
        countsByOpAndTypes.forEach((key, count) -> line("  %5d  %s", count, key));
        Map<String, List<String>> byNote = new TreeMap<>();
        for (QuantizedNode node : quantized) {
            for (String note : node.notes()) {
                byNote.computeIfAbsent(generalize(note), key -> new ArrayList<>()).add(node.node().name());
            }
        }
        byNote.forEach((note, names) -> line("  %5d  note: %s (%s)", names.size(), note, sample(names)));
    }

    private void printUntouched(String title, List<UntouchedNode> nodes) {
        line("%-13s %d nodes", title, nodes.size());
        Map<String, List<String>> byReason = new TreeMap<>();
        for (UntouchedNode node : nodes) {
            byReason.computeIfAbsent(node.node().opType() + ": " + generalize(node.reason()), key -> new ArrayList<>())
                    .add(node.node().name());
        }
        byReason.entrySet().stream()
                .limit(REASON_GROUPS_SHOWN)
                .forEach(group -> line("  %5d  %s (%s)", group.getValue().size(), group.getKey(), sample(group.getValue())));
        if (byReason.size() > REASON_GROUPS_SHOWN) {
            int hiddenNodes = byReason.values().stream().skip(REASON_GROUPS_SHOWN).mapToInt(List::size).sum();
            line("         ... %d more nodes with %d other reasons; --summary-json FILE lists every node",
                    hiddenNodes, byReason.size() - REASON_GROUPS_SHOWN);
        }
    }

    private void printOpset(OpsetChange change) {
        if (change == null) {
            line("Opset:        unchanged");
            return;
        }
        String rewritten = change.rewrittenNodesByOpType().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        line("Opset:        %d -> %d%s", change.from(), change.to(),
                rewritten.isEmpty() ? "" : " (rewrote " + rewritten + ")");
    }

    /**
     * Replaces the quoted value names in a reason with {@code '<value>'}, so that nodes skipped
     * for the same reason on different tensors fall into one group.
     */
    static String generalize(String reason) {
        return reason.replaceAll("'[^']*'", "'<value>'");
    }

    private static String sample(List<String> names) {
        List<String> shownNames = names.stream().limit(NODE_NAMES_SHOWN)
                .map(name -> name.isEmpty() ? "(unnamed)" : name)
                .toList();
        String text = String.join(", ", shownNames);
        return names.size() > NODE_NAMES_SHOWN ? text + ", ..." : text;
    }

    private static String symmetry(boolean symmetric) {
        return symmetric ? "symmetric" : "asymmetric";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private void line(String format, Object... arguments) {
        out.println(String.format(Locale.ROOT, format, arguments));
    }
}
