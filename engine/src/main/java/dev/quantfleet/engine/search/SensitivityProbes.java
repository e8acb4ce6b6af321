package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.ArrayList;
import java.util.Collection;
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
     * {@code /encoder/layer.0/attention/self} to {@code /encoder/layer.0/attention}) until they fit
     * or cannot be coarsened further.
     */
    static Map<String, List<String>> units(List<String> nodes, int uncachedPerNode, int trialsLeft) {
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
                // NOTE: names without '/' paths (PaddleOCR's p2o.Conv.21) cannot be coarsened, so these
                // probes may take every trial left and the mixed-precision round of auto never runs.
                break;
            }
            coarser.replaceAll((label, unitNodes) -> unitNodes.stream().sorted().toList());
            units = coarser;
        }
        return units;
    }
}
