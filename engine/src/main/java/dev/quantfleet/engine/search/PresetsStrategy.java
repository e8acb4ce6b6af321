package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Proposes the well-known configurations of {@link Presets} in their fixed order, in one round:
 * those the model allows ({@code a16w8} needs opset 21) and {@code dynamic-int8} only for
 * transformer-like models, whose cost sits in MatMul. Where the execution provider runs
 * {@link OperatorForm#ContribFused}, the ContribFused forms of {@code a8w8} and
 * {@code dynamic-int8} follow, in that order, so that a latency objective can choose the fused
 * form; a form is left out when the model has no quantized MatMul, since it would be the same
 * candidate as the Standard one.
 */
final class PresetsStrategy implements SearchStrategy {

    static final String DYNAMIC_PRESET = "dynamic-int8";

    /** The 8-bit presets whose ContribFused form is proposed too. */
    static final List<String> CONTRIB_FUSED_PRESETS = List.of("a8w8", DYNAMIC_PRESET);

    @Override
    public String name() {
        return SearchStrategies.PRESETS;
    }

    @Override
    public List<SearchProposal> propose(SearchState state) {
        return proposals(state);
    }

    /** Returns the applicable presets that can still be evaluated, then their ContribFused forms. */
    static List<SearchProposal> proposals(SearchState state) {
        ModelFacts facts = state.request().facts();
        List<SearchProposal> proposals = new ArrayList<>();
        List<QuantConfig> fusable = new ArrayList<>();
        for (Map.Entry<String, QuantConfig> preset : Presets.all().entrySet()) {
            boolean dynamicForNonTransformer = preset.getKey().equals(DYNAMIC_PRESET) && !facts.transformerLike();
            if (dynamicForNonTransformer || !CandidateRules.problems(preset.getValue(), facts).isEmpty()) {
                continue;
            }
            if (state.canEvaluate(preset.getValue())) {
                proposals.add(SearchProposal.evaluate(preset.getValue()));
            }
            if (CONTRIB_FUSED_PRESETS.contains(preset.getKey())) {
                fusable.add(preset.getValue());
            }
        }
        for (QuantConfig preset : fusable) {
            QuantConfig fused = preset.toBuilder().operatorForm(OperatorForm.ContribFused).build();
            boolean fusesMatMul = CandidateRules.quantizedOpTypes(fused, facts).contains("MatMul");
            if (fusesMatMul && state.canEvaluate(fused)) {
                proposals.add(SearchProposal.evaluate(fused));
            }
        }
        return proposals;
    }
}
