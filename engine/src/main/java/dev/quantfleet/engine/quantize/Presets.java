package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.CalibrationMethod;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named quantization configurations. Every preset quantizes the model's default op types
 * ({@link DefaultOpTypes}) and stores embeddings quantized.
 * <ul>
 *   <li>{@code a8w8}: QDQ, uint8 asymmetric activations, int8 symmetric per-channel weights, MinMax calibration.</li>
 *   <li>{@code a8w8-percentile}: as {@code a8w8}, with Percentile calibration (99.999 %).</li>
 *   <li>{@code a8w8-entropy}: as {@code a8w8}, with Entropy calibration.</li>
 *   <li>{@code a16w8}: as {@code a8w8}, with uint16 activations (raises the opset to 21).</li>
 *   <li>{@code dynamic-int8}: Dynamic; int8 symmetric per-channel weights quantized offline,
 *       activations quantized to uint8 at run time; needs no calibration.</li>
 * </ul>
 */
public final class Presets {

    private static final Map<String, QuantConfig> PRESETS = createPresets();

    private Presets() {
    }

    private static Map<String, QuantConfig> createPresets() {
        Map<String, QuantConfig> presets = new LinkedHashMap<>();
        QuantConfig a8w8 = QuantConfig.builder().format(QuantFormat.QDQ).activationType(QuantType.QUInt8)
                .weightType(QuantType.QInt8).perChannel(true).activationSymmetric(false).weightSymmetric(true)
                .calibrationMethod(CalibrationMethod.MinMax).build();
        presets.put("a8w8", a8w8);
        presets.put("a8w8-percentile", a8w8.toBuilder().calibrationMethod(CalibrationMethod.Percentile).build());
        presets.put("a8w8-entropy", a8w8.toBuilder().calibrationMethod(CalibrationMethod.Entropy).build());
        presets.put("a16w8", a8w8.toBuilder().activationType(QuantType.QUInt16).build());
        presets.put("dynamic-int8", a8w8.toBuilder().format(QuantFormat.Dynamic).build());
        return Collections.unmodifiableMap(presets);
    }

    /**
     * Returns the preset called {@code name}.
     *
     * @throws IllegalArgumentException naming the known presets if there is none of that name
     */
    public static QuantConfig byName(String name) {
        QuantConfig config = PRESETS.get(name);
        if (config == null) {
            throw new IllegalArgumentException("Unknown quantization preset '" + name + "'; known presets: " + names());
        }
        return config;
    }

    /** Preset names in a fixed order. */
    public static Set<String> names() {
        return PRESETS.keySet();
    }

    public static Map<String, QuantConfig> all() {
        return PRESETS;
    }
}
