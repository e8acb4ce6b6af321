package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;
import java.util.Objects;

/**
 * A task a strategy asks for; the runner gives it ids and a seed, and drops it when its
 * candidate was already evaluated or its combination came back UNSUPPORTED.
 *
 * @param kind            EVALUATE or SENSITIVITY
 * @param config          the candidate (for SENSITIVITY, the probe configuration)
 * @param label           for SENSITIVITY, the node name or the block name; null otherwise
 * @param nodes           for SENSITIVITY, the probed nodes; empty otherwise
 * @param sensitivityMode for SENSITIVITY, how the probe isolates the nodes; null otherwise
 * @param baseCandidateId for SENSITIVITY, the candidate the probe derives from; null otherwise
 */
public record SearchProposal(TaskKind kind, QuantConfig config, String label, List<String> nodes,
                             SensitivityMode sensitivityMode, String baseCandidateId) {

    public SearchProposal {
        Objects.requireNonNull(config, "config");
        if (kind != TaskKind.EVALUATE && kind != TaskKind.SENSITIVITY) {
            throw new IllegalArgumentException("A strategy proposes EVALUATE or SENSITIVITY tasks, not " + kind);
        }
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public static SearchProposal evaluate(QuantConfig config) {
        return new SearchProposal(TaskKind.EVALUATE, config, null, List.of(), null, null);
    }

    public String candidateId() {
        return SearchIds.candidateId(config);
    }
}
