package dev.quantfleet.engine.calibration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * The method by which {@link RangeEstimator} turns a tensor's statistics into a quantization range. The names
 * {@code MinMax}, {@code Percentile} and {@code Entropy} are those of the
 * {@code CalibrationMethod} enum in ONNX Runtime's Python quantization tool; JSON uses the same
 * names and also accepts them in any letter case and with underscores or hyphens.
 */
public enum CalibrationMethod {
    /** The observed minimum and maximum. */
    MinMax,
    /** A percentile of the value distribution, cutting rare outliers. */
    Percentile,
    /** The threshold whose quantized distribution is closest to the observed one in KL divergence. */
    Entropy,
    /** The threshold with the smallest expected squared error of clipping plus rounding. */
    MinMSE;

    @JsonValue
    public String jsonName() {
        return name();
    }

    /**
     * Parses a method name such as {@code MinMax}, {@code minmax}, {@code min_max} or {@code MIN-MSE}.
     *
     * @throws IllegalArgumentException naming the accepted methods
     */
    @JsonCreator
    public static CalibrationMethod fromName(String name) {
        String normalized = name.replace("_", "").replace("-", "").trim().toLowerCase(Locale.ROOT);
        for (CalibrationMethod method : values()) {
            if (method.name().toLowerCase(Locale.ROOT).equals(normalized)) {
                return method;
            }
        }
        throw new IllegalArgumentException("Unknown calibration method '" + name + "'; expected one of "
                + Arrays.toString(values()));
    }
}
