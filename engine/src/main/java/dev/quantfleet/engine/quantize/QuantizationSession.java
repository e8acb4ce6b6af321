package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.NameAllocator;
import dev.quantfleet.engine.quantize.ops.OpRegistry;

import java.util.Set;

/** State that every graph scope of one quantization run shares. */
record QuantizationSession(long irVersion, QuantConfig config, ActivationRanges ranges, Set<String> opTypes, NodeSelection selection,
                           NameAllocator names, QdqNodes nodes, OpRegistry registry, ResultCollector result) {
}
