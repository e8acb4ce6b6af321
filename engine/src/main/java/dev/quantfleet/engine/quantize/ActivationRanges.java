package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;

import java.util.Map;
import java.util.Optional;

/**
 * Source of calibrated activation ranges for the quantizer. The quantizer asks for each
 * activation it quantizes, with the integer type and symmetry it will use, so that an
 * implementation backed by histograms (percentile, entropy, MSE) can pick the range for that
 * type. An empty result means the tensor was not calibrated, and the quantizer then skips the
 * nodes that need it and reports why.
 */
@FunctionalInterface
public interface ActivationRanges {

    Optional<ActivationRange> range(String tensorName, ElementType targetType, boolean symmetric);

    /** Ranges that do not depend on the target type, e.g. min/max measured directly. */
    static ActivationRanges of(Map<String, ActivationRange> ranges) {
        Map<String, ActivationRange> copy = Map.copyOf(ranges);
        return (tensorName, targetType, symmetric) -> Optional.ofNullable(copy.get(tensorName));
    }

    /** No ranges at all, e.g. for dynamic quantization, which needs none. */
    static ActivationRanges none() {
        return (tensorName, targetType, symmetric) -> Optional.empty();
    }
}
