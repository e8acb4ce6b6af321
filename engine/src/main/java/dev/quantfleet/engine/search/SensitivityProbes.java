package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Builds the configurations that probe or keep back single nodes of a base configuration. */
public final class SensitivityProbes {

    private SensitivityProbes() {
    }

    /**
     * Returns {@code base} with every node except {@code nodes} excluded, by one
     * {@code nodesToExclude} entry {@code regex:(?!(?:\Qa\E|\Qb\E)$).*}, which matches every
     * whole name other than the quoted ones.
     */
    public static QuantConfig onlyQuantized(QuantConfig base, Collection<String> nodes) {
        String alternatives = nodes.stream().sorted().map(Pattern::quote).collect(Collectors.joining("|"));
        List<String> excluded = new ArrayList<>(base.nodesToExclude());
        excluded.add(QuantConfig.REGEX_PREFIX + "(?!(?:" + alternatives + ")$).*");
        return base.toBuilder().nodesToExclude(excluded).build();
    }

    /** Returns {@code base} with {@code nodes} kept in float by overrides. */
    public static QuantConfig onlyFloat(QuantConfig base, Collection<String> nodes) {
        return withPrecision(base, nodes, NodePrecision.FLOAT);
    }

    /**
     * Returns {@code base} with {@code precision} for each of {@code nodes}, replacing their
     * overrides; null when the precision is impossible for the base (16-bit activations outside
     * QDQ format or when the activations are already 16-bit) or the result is invalid.
     */
    public static QuantConfig withPrecision(QuantConfig base, Collection<String> nodes, NodePrecision precision) {
        Map<String, NodeOverride> overrides = new TreeMap<>(base.nodeOverrides());
        for (String node : nodes) {
            overrides.remove(node);
            if (SearchSpace.addOverride(overrides, node, precision, base.format(), base.activationType()) != null) {
                return null;
            }
        }
        try {
            return base.toBuilder().nodeOverrides(overrides).build();
        } catch (InvalidQuantConfigException e) {
            return null;
        }
    }

    /** Returns the probe of {@code nodes} in {@code mode}. */
    public static QuantConfig probe(QuantConfig base, Collection<String> nodes, SensitivityMode mode) {
        return mode == SensitivityMode.ONLY_QUANTIZED ? onlyQuantized(base, nodes) : onlyFloat(base, nodes);
    }

    /**
     * Returns the units to probe, by label: one per node when the uncached probes fit in
     * {@code trialsLeft}, otherwise blocks of nodes with a common name prefix
     * ({@link ModelFacts#blocks}), coarsened one path segment at a time (e.g.
     * {@code /encoder/layer.0/attention/self} to {@code /encoder/layer.0/attention}) until they fit.
     * Names without such paths (PaddleOCR's {@code p2o.Conv.21}) stop the coarsening. The units
     * left are then cut into {@code trialsLeft} runs of neighbours in {@code graphOrder}
     * ({@link #runsInGraphOrder}).
     */
    static Map<String, List<String>> units(List<String> nodes, int uncachedPerNode, int trialsLeft,
                                           List<String> graphOrder) {
        if (uncachedPerNode <= trialsLeft) {
            Map<String, List<String>> perNode = new LinkedHashMap<>();
            nodes.forEach(node -> perNode.put(node, List.of(node)));
            return perNode;
        }
        Map<String, List<String>> units = ModelFacts.blocks(nodes);
        while (units.size() > trialsLeft) {
            Map<String, List<String>> coarser = new TreeMap<>();
            units.forEach((label, unitNodes) -> coarser.computeIfAbsent(ModelFacts.blockOf(label),
                    key -> new ArrayList<>()).addAll(unitNodes));
            if (coarser.size() == units.size()) {
                return runsInGraphOrder(units, trialsLeft, graphOrder);
            }
            coarser.replaceAll((label, unitNodes) -> unitNodes.stream().sorted().toList());
            units = coarser;
        }
        return units;
    }

    /**
     * Orders {@code units} by the graph position of their first node (nodes missing from
     * {@code graphOrder}, such as those inside subgraphs, last, then by label) and cuts them into
     * {@code count} runs of consecutive units (at least 2), as even in size as possible. A run of one unit
     * keeps its label; a longer one is labelled {@code FIRST to LAST (N nodes)}.
     */
    static Map<String, List<String>> runsInGraphOrder(Map<String, List<String>> units, int count,
                                                      List<String> graphOrder) {
        Map<String, Integer> position = new HashMap<>();
        for (int index = 0; index < graphOrder.size(); index++) {
            position.putIfAbsent(graphOrder.get(index), index);
        }
        Comparator<Map.Entry<String, List<String>>> byPosition = Comparator.comparingInt(
                unit -> unit.getValue().stream().mapToInt(node -> position.getOrDefault(node, Integer.MAX_VALUE))
                        .min().orElse(Integer.MAX_VALUE));
        List<Map.Entry<String, List<String>>> ordered = units.entrySet().stream()
                .sorted(byPosition.thenComparing(Map.Entry::getKey)).toList();
        Map<String, List<String>> runs = new LinkedHashMap<>();
        // One run would be the base itself and tell nothing, so there are at least two where possible.
        int runCount = Math.min(Math.max(2, count), ordered.size());
        for (int run = 0; run < runCount; run++) {
            List<Map.Entry<String, List<String>>> members = ordered.subList(run * ordered.size() / runCount,
                    (run + 1) * ordered.size() / runCount);
            List<String> runNodes = members.stream().flatMap(unit -> unit.getValue().stream()).sorted().toList();
            String label = members.size() == 1 ? members.get(0).getKey()
                    : members.get(0).getKey() + " to " + members.get(members.size() - 1).getKey()
                    + " (" + runNodes.size() + " nodes)";
            runs.put(label, runNodes);
        }
        return runs;
    }
}
