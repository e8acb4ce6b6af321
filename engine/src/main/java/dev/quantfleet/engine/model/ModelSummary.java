package dev.quantfleet.engine.model;

import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summary of a model, as {@code quantfleet inspect} prints it.
 *
 * @param irVersion ONNX IR version of the file
 * @param opsetVersions imported opset version per domain, the default domain shown as {@code ai.onnx}, sorted by domain
 * @param producerName tool that wrote the model, empty when not recorded
 * @param producerVersion version of that tool, empty when not recorded
 * @param inputs graph inputs that callers feed (initializers listed as inputs are left out)
 * @param outputs graph outputs
 * @param nodeCount nodes in the main graph and all subgraphs
 * @param opTypeCounts nodes per op type over all scopes, most frequent first, then by name; ops of
 *     other domains are prefixed with their domain ({@code com.microsoft::Attention})
 * @param parameterCount elements of all initializers and Constant-node tensors, in every scope
 * @param parameterBytes bytes those elements occupy as stored (4-bit types packed two per byte)
 * @param weights where the floating-point constants that main-graph nodes read come from
 * @param subgraphCount If, Loop and Scan bodies at any depth
 * @param quantizableOpCounts main-graph nodes per op type in the QDQ quantizer's standard op registry, sorted by op type
 */
public record ModelSummary(
        long irVersion,
        Map<String, Long> opsetVersions,
        String producerName,
        String producerVersion,
        List<ValueSummary> inputs,
        List<ValueSummary> outputs,
        int nodeCount,
        Map<String, Integer> opTypeCounts,
        long parameterCount,
        long parameterBytes,
        WeightLocations weights,
        int subgraphCount,
        Map<String, Integer> quantizableOpCounts) {

    /**
     * A graph input or output.
     *
     * @param name value name
     * @param type element type in lower case ({@code float}, {@code int64}), or the kind of a
     *     non-tensor type ({@code sequence}, {@code map}, {@code optional}), {@code unknown} if absent
     * @param shape one entry per dimension: the size, the dim_param name, or {@code ?}; empty for
     *     a scalar, null when the rank is unknown
     */
    public record ValueSummary(String name, String type, List<String> shape) {
        /** Formats as {@code name: type [d0, d1]}. */
        public String describe() {
            String dims = shape == null ? "[rank unknown]" : shape.toString();
            return name + ": " + type + " " + dims;
        }
    }

    /**
     * Distinct floating-point constant values that main-graph nodes read, by where they come from.
     *
     * @param initializers read directly from an initializer (Identity links allowed)
     * @param constantNodes read from a Constant node (Identity links allowed)
     * @param castFolded computed by at least one Cast from an initializer or a Constant node
     */
    public record WeightLocations(int initializers, int constantNodes, int castFolded) {
        public int total() {
            return initializers + constantNodes + castFolded;
        }
    }

    /** Copies the collections, keeping the iteration order of the maps given. */
    public ModelSummary {
        opsetVersions = Collections.unmodifiableMap(new LinkedHashMap<>(opsetVersions));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opTypeCounts = Collections.unmodifiableMap(new LinkedHashMap<>(opTypeCounts));
        quantizableOpCounts = Collections.unmodifiableMap(new LinkedHashMap<>(quantizableOpCounts));
    }

    /** Inspects {@code model}; tensors must be inline (as {@link ModelIo#load} returns them). */
    public static ModelSummary of(ModelProto model) {
        return ModelSummaryCollector.collect(model);
    }

    /** Number of main-graph nodes that the QDQ quantizer handles. */
    public int quantizableNodeCount() {
        return quantizableOpCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Formats the summary as the text block that {@code quantfleet inspect} prints. */
    public String render() {
        StringBuilder text = new StringBuilder();
        line(text, "Producer:     %s", producerName.isEmpty() ? "(not recorded)"
                : (producerName + " " + producerVersion).trim());
        line(text, "IR version:   %d", irVersion);
        StringBuilder opsets = new StringBuilder();
        opsetVersions.forEach((domain, version) ->
                opsets.append(opsets.length() == 0 ? "" : ", ").append(domain).append(' ').append(version));
        line(text, "Opsets:       %s", opsets.length() == 0 ? "(none)" : opsets);
        line(text, "Inputs:");
        inputs.forEach(input -> line(text, "  %s", input.describe()));
        line(text, "Outputs:");
        outputs.forEach(output -> line(text, "  %s", output.describe()));
        line(text, "Nodes:        %d in %d op types, %d subgraphs", nodeCount, opTypeCounts.size(), subgraphCount);
        int width = opTypeCounts.keySet().stream().mapToInt(String::length).max().orElse(0);
        opTypeCounts.forEach((opType, count) -> line(text, "  %-" + width + "s %6d", opType, count));
        line(text, "Parameters:   %,d elements, %,d bytes (%s)", parameterCount, parameterBytes,
                humanBytes(parameterBytes));
        line(text, "Weights:      %d from initializers, %d from Constant nodes, %d folded through Cast",
                weights.initializers(), weights.constantNodes(), weights.castFolded());
        line(text, "Quantizable:  %d nodes", quantizableNodeCount());
        int quantizableWidth = quantizableOpCounts.keySet().stream().mapToInt(String::length).max().orElse(0);
        quantizableOpCounts.forEach((opType, count) ->
                line(text, "  %-" + quantizableWidth + "s %6d", opType, count));
        return text.toString();
    }

    private static void line(StringBuilder text, String format, Object... arguments) {
        text.append(String.format(Locale.ROOT, format, arguments)).append('\n');
    }

    private static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
