package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.topics.Topics;

import java.util.List;

/**
 * The limits of the requests that the coordinator accepts.
 *
 * @param pools             worker pools that have workers; a request for another pool is rejected
 * @param maxModelBytes     largest accepted {@code .onnx} file, in bytes
 * @param maxExternalBytes  largest accepted sum of the model's external data files, in bytes
 * @param maxDataBytes      largest accepted calibration, evaluation, labels or tokenizer file, in bytes
 * @param maxTrials         largest accepted trial budget
 */
public record IntakeLimits(List<String> pools, long maxModelBytes, long maxExternalBytes, long maxDataBytes,
                           int maxTrials) {

    public IntakeLimits {
        pools = List.copyOf(pools);
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("pools is empty; name at least one pool, e.g. " + Topics.DEFAULT_POOL);
        }
        pools.forEach(Topics::checkPoolName);
        requirePositive(maxModelBytes, "maxModelBytes");
        requirePositive(maxDataBytes, "maxDataBytes");
        if (maxExternalBytes < 0) {
            throw new IllegalArgumentException("maxExternalBytes is " + maxExternalBytes + "; it must be 0 or more");
        }
        if (maxTrials < 1) {
            throw new IllegalArgumentException("maxTrials is " + maxTrials + "; it must be 1 or more");
        }
    }

    private static void requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " is " + value + "; it must be 1 or more");
        }
    }
}
