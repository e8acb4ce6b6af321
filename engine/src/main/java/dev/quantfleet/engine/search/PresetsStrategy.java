package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Proposes the well-known configurations of {@link Presets} in their fixed order, in one round:
 * those the model allows ({@code a16w8} needs opset 21) and {@code dynamic-int8} only for
 * transformer-like models, whose cost sits in MatMul.
 */
final class PresetsStrategy implements SearchStrategy {

    static final String DYNAMIC_PRESET = "dynamic-int8";

    @Override
    public String name() {
        return SearchStrategies.PRESETS;
    }

    @Override
    public List<SearchProposal> propose(SearchState state) {
        return proposals(state);
    }

    /** Returns the applicable presets that can still be evaluated. */
    static List<SearchProposal> proposals(SearchState state) {
        List<SearchProposal> proposals = new ArrayList<>();
        for (Map.Entry<String, QuantConfig> preset : Presets.all().entrySet()) {
            boolean dynamicForNonTransformer = preset.getKey().equals(DYNAMIC_PRESET)
                    && !state.request().facts().transformerLike();
            if (!dynamicForNonTransformer && state.canEvaluate(preset.getValue())) {
                proposals.add(SearchProposal.evaluate(preset.getValue()));
            }
        }
        return proposals;
    }
}
