package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * Quantization format, named as in ONNX Runtime's quantization tool.
 * {@link #QDQ}: static, with QuantizeLinear/DequantizeLinear pairs whose scales come from
 * calibration. {@link #Dynamic}: weights quantized offline, activations quantized at run time
 * by DynamicQuantizeLinear, so no calibration is needed.
 */
public enum QuantFormat {
    QDQ,
    Dynamic;

    @JsonValue
    public String jsonName() {
        return name();
    }

    @JsonCreator
    public static QuantFormat parse(String text) {
        for (QuantFormat format : values()) {
            if (format.name().equalsIgnoreCase(text.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown quantization format '" + text + "'; expected one of "
                + Arrays.toString(values()));
    }
}
