package dev.quantfleet.engine.quantize.ops;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The op types the QDQ quantizer rewrites, each mapped to its {@link OpHandler}: the operators
 * ONNX Runtime fuses into integer kernels from a DequantizeLinear/op/QuantizeLinear pattern.
 */
public final class OpRegistry {

    private static final OpRegistry STANDARD = new OpRegistry(List.of(new ConvHandler(), new MatMulHandler(),
            new GemmHandler(), new GatherHandler(), new ElementwiseHandler(), new PoolHandler(), new SoftmaxHandler(),
            new DataMovementHandler()));

    private final Map<String, OpHandler> handlers = new TreeMap<>();

    private OpRegistry(List<OpHandler> handlerList) {
        for (OpHandler handler : handlerList) {
            for (String opType : handler.opTypes()) {
                if (handlers.put(opType, handler) != null) {
                    throw new IllegalStateException("Two handlers claim op type " + opType);
                }
            }
        }
    }

    public static OpRegistry standard() {
        return STANDARD;
    }

    public Optional<OpHandler> handler(String opType) {
        return Optional.ofNullable(handlers.get(opType));
    }

    /** Returns every supported op type, sorted. */
    public Set<String> opTypes() {
        return Collections.unmodifiableSet(handlers.keySet());
    }
}
