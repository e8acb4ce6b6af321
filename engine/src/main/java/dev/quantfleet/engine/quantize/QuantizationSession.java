package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.NameAllocator;
import dev.quantfleet.engine.quantize.ops.OpRegistry;

import java.util.Map;
import java.util.Set;

/**
 * State that every graph scope of one quantization run shares.
 *
 * @param foldedNormalizations for each main-graph Conv that absorbed a BatchNormalization before
 *                             quantization, its output value mapped to the normalization's node name
 */
record QuantizationSession(long irVersion, QuantConfig config, ActivationRanges ranges, Set<String> opTypes, NodeSelection selection,
                           NameAllocator names, QdqNodes nodes, OpRegistry registry, ResultCollector result,
                           Map<String, String> foldedNormalizations) {

    QuantizationSession {
        foldedNormalizations = Map.copyOf(foldedNormalizations);
    }
}
