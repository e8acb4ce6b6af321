package dev.quantfleet.engine.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model run's worth of input data: model input name to tensor, in the order the reader
 * produced them, with the batch dimension 1 or the first-axis slice that the model takes at once.
 *
 * @param origin where the sample comes from, for error messages, e.g. {@code data.npz, sample 3}
 * @param inputs model input name to value; unmodifiable
 */
public record Sample(String origin, Map<String, TensorValue> inputs) {

    public Sample {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    public TensorValue input(String name) {
        TensorValue value = inputs.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Sample from " + origin + " has no input '" + name
                    + "'; it has " + inputs.keySet());
        }
        return value;
    }
}
