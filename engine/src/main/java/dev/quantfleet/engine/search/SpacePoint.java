package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.List;

/**
 * One point of a {@link SearchSpace}: a choice index per dimension, and either the candidate
 * configuration it stands for or the reason it is skipped.
 *
 * @param choices    index into each dimension's values, in {@link SearchSpace#dimensionSizes()} order
 * @param config     the candidate, or null when skipped
 * @param skipReason why the point is no candidate, or null when it is one
 */
public record SpacePoint(List<Integer> choices, QuantConfig config, String skipReason) {

    public SpacePoint {
        choices = List.copyOf(choices);
    }

    public boolean valid() {
        return config != null;
    }
}
