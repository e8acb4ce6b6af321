package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Range;
import dev.quantfleet.engine.calibration.RangeEstimator;
import dev.quantfleet.engine.calibration.TensorStatistics;
import dev.quantfleet.engine.onnx.ElementType;

import java.util.Map;
import java.util.Optional;

/**
 * Source of calibrated activation ranges for the quantizer. The quantizer requests a range for each
 * activation it quantizes, with the integer type and symmetry it will use, so that an
 * implementation backed by histograms (percentile, entropy, MSE) can pick the range for that
 * type. An empty result means the tensor was not calibrated, and the quantizer then skips the
 * nodes that need it and reports why.
 */
@FunctionalInterface
public interface ActivationRanges {

    Optional<Range> range(String tensorName, ElementType targetType, boolean symmetric);

    /** Ranges that do not depend on the target type, e.g. min/max measured directly. */
    static ActivationRanges of(Map<String, Range> ranges) {
        Map<String, Range> copy = Map.copyOf(ranges);
        return (tensorName, targetType, symmetric) -> Optional.ofNullable(copy.get(tensorName));
    }

    /**
     * Ranges estimated from calibration statistics with {@code method} and {@code parameters},
     * for the target type and symmetry the quantizer requests. Tensors missing from the
     * statistics have no range.
     */
    static ActivationRanges fromStatistics(CalibrationStatistics statistics, CalibrationMethod method,
                                           CalibrationParameters parameters) {
        return (tensorName, targetType, symmetric) -> {
            TensorStatistics tensor = statistics.tensors().get(tensorName);
            if (tensor == null) {
                return Optional.empty();
            }
            Range range = RangeEstimator.range(tensor, method, parameters, targetType, symmetric);
            return Optional.of(range);
        };
    }

    /** Ranges from calibration statistics with the calibration method and parameters of {@code config}. */
    static ActivationRanges fromStatistics(CalibrationStatistics statistics, QuantConfig config) {
        return fromStatistics(statistics, config.calibrationMethod(), config.calibrationParameters());
    }

    /** No ranges at all, e.g. for dynamic quantization, which needs none. */
    static ActivationRanges none() {
        return (tensorName, targetType, symmetric) -> Optional.empty();
    }
}
