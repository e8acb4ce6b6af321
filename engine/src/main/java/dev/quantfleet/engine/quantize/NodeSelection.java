package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.metrics.EditDistance;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Matches the configuration's {@code nodesToExclude} entries and {@code nodeOverrides} names
 * against the node names of a model (every scope). An entry is an exact node name, a glob when
 * it contains {@code *} (any run of characters, {@code /} included) or {@code ?} (one
 * character), or a Java regular expression over the whole name after {@code regex:}. An entry or
 * override that matches no node is an error, because a misspelt name would otherwise quietly
 * quantize the node it meant to protect.
 */
final class NodeSelection {

    private static final int SUGGESTION_COUNT = 5;

    private final List<Matcher> exclusions = new ArrayList<>();
    private final Map<String, NodeOverride> overrides;

    private record Matcher(String entry, Pattern pattern) {
    }

    private NodeSelection(QuantConfig config, Set<String> nodeNames) {
        List<String> problems = new ArrayList<>();
        for (String entry : config.nodesToExclude()) {
            Pattern pattern = compile(entry);
            exclusions.add(new Matcher(entry, pattern));
            if (nodeNames.stream().noneMatch(name -> pattern.matcher(name).matches())) {
                problems.add("nodesToExclude entry '" + entry + "' matches no node; " + suggestions(entry, nodeNames));
            }
        }
        for (String node : config.nodeOverrides().keySet()) {
            if (!nodeNames.contains(node)) {
                problems.add("nodeOverrides names node '" + node + "', which does not exist; " + suggestions(node, nodeNames));
            }
        }
        if (!problems.isEmpty()) {
            throw new QuantizationException(String.join("; ", problems));
        }
        this.overrides = config.nodeOverrides();
    }

    static NodeSelection of(ModelProto model, QuantConfig config) {
        Set<String> names = new LinkedHashSet<>();
        collectNames(model.getGraph(), names);
        return new NodeSelection(config, names);
    }

    /** Returns the entry that excludes {@code nodeName}, or a keepFloat override, as a reason; empty if the node is selected. */
    Optional<String> exclusionReason(String nodeName) {
        for (Matcher matcher : exclusions) {
            if (matcher.pattern().matcher(nodeName).matches()) {
                return Optional.of("nodesToExclude entry '" + matcher.entry() + "'");
            }
        }
        NodeOverride override = overrides.get(nodeName);
        if (override != null && override.keepFloat()) {
            return Optional.of("nodeOverrides keepFloat");
        }
        return Optional.empty();
    }

    static Pattern compile(String entry) {
        if (entry.startsWith(QuantConfig.REGEX_PREFIX)) {
            return Pattern.compile(entry.substring(QuantConfig.REGEX_PREFIX.length()));
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : entry.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * Names the real nodes most similar to {@code entry}, so a typo is easy to spot: the longest
     * common prefix with the entry's text before its first wildcard first, then the smallest edit
     * distance between that text and the name's start of the same length, then name order.
     */
    private static String suggestions(String entry, Set<String> nodeNames) {
        if (nodeNames.isEmpty()) {
            return "the model has no named nodes";
        }
        boolean glob = entry.indexOf('*') >= 0 || entry.indexOf('?') >= 0;
        String literal = entry.startsWith(QuantConfig.REGEX_PREFIX) ? entry.substring(QuantConfig.REGEX_PREFIX.length())
                : entry.split("[*?]", -1)[0];
        List<String> closest = nodeNames.stream()
                .sorted(Comparator.comparingInt((String name) -> -commonPrefixLength(name, literal))
                        .thenComparingInt(name -> EditDistance.levenshtein(literal,
                                glob ? name.substring(0, Math.min(name.length(), literal.length())) : name))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(SUGGESTION_COUNT).toList();
        return "the most similar node names are " + closest;
    }

    private static int commonPrefixLength(String a, String b) {
        int length = Math.min(a.length(), b.length());
        int i = 0;
        while (i < length && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static void collectNames(GraphProto graph, Set<String> names) {
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getName().isEmpty()) {
                names.add(node.getName());
            }
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG()) {
                    collectNames(attribute.getG(), names);
                }
                attribute.getGraphsList().forEach(body -> collectNames(body, names));
            }
        }
    }
}
