package dev.quantfleet.cli;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.Map;
import java.util.TreeMap;

/**
 * Named configurations for {@code apply --preset}.
 *
 * <p>TODO: replace with the engine's preset list once it exists. Until then only {@code a8w8}
 * is known: the defaults of {@link QuantConfig#builder()}, which QuantConfig documents as the
 * a8w8 preset (QDQ, asymmetric uint8 activations, symmetric per-channel int8 weights).
 */
final class StandInPresets {

    private static final Map<String, QuantConfig> PRESETS = new TreeMap<>(Map.of("a8w8", QuantConfig.builder().build()));

    private StandInPresets() {
    }

    /** Returns the preset called {@code name}, raising {@link InvalidInputException} with the known names otherwise. */
    static QuantConfig byName(String name) {
        QuantConfig config = PRESETS.get(name.trim());
        if (config == null) {
            throw new InvalidInputException("Unknown preset '" + name + "'; known presets: "
                    + String.join(", ", PRESETS.keySet()) + ". Pass --config CONFIG.json for other settings.");
        }
        return config;
    }
}
