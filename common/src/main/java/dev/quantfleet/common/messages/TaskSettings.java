package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a worker runs the models of one task.
 *
 * @param threads        intra-op threads of every ONNX Runtime session; 1 or more
 * @param measureLatency whether to measure latency, which is slow and needs a quiet machine
 */
public record TaskSettings(@JsonProperty(required = true) int threads, boolean measureLatency) {

    public TaskSettings {
        WireChecks.atLeast(threads, 1, "threads");
    }
}
