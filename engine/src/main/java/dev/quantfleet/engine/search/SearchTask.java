package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;

/**
 * One unit of work for a {@link TaskExecutor}.
 *
 * @param taskId          see {@link SearchIds#taskId}
 * @param requestId       the search's request id
 * @param round           0 for BASELINE and CALIBRATE, from 1 on for proposals
 * @param kind            what to do
 * @param candidateId     {@link SearchIds#candidateId} of {@code config}, or {@link SearchIds#FLOAT_MODEL_ID}
 * @param config          the configuration to quantize with; null for BASELINE and CALIBRATE
 * @param seed            seed for any random choice the executor makes, see {@link SearchIds#seed}
 * @param inputs          model and data
 * @param nodes           for SENSITIVITY, the node or block of nodes probed; empty otherwise
 * @param sensitivityMode for SENSITIVITY, how the probe isolates the nodes; null otherwise
 * @param baseCandidateId for SENSITIVITY, the candidate the probe derives from; null otherwise
 * @param label           for SENSITIVITY, the node or block name that the result reports the
 *                        sensitivity under; null otherwise
 */
public record SearchTask(String taskId, String requestId, int round, TaskKind kind, String candidateId,
                         QuantConfig config, long seed, SearchInputs inputs, List<String> nodes,
                         SensitivityMode sensitivityMode, String baseCandidateId, String label) {

    public SearchTask {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Creates a task without a label, as BASELINE, CALIBRATE and EVALUATE tasks are. */
    public SearchTask(String taskId, String requestId, int round, TaskKind kind, String candidateId,
                      QuantConfig config, long seed, SearchInputs inputs, List<String> nodes,
                      SensitivityMode sensitivityMode, String baseCandidateId) {
        this(taskId, requestId, round, kind, candidateId, config, seed, inputs, nodes, sensitivityMode,
                baseCandidateId, null);
    }
}
