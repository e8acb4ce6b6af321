package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules that make a valid {@link QuantConfig} unfit for one model, on top of the
 * configuration's own validation. A search never proposes a candidate that breaks one of them.
 */
public final class CandidateRules {

    private CandidateRules() {
    }

    /** Returns why {@code config} cannot be a candidate for the model of {@code facts}; empty when it can. */
    public static List<String> problems(QuantConfig config, ModelFacts facts) {
        List<String> problems = new ArrayList<>();
        if (!facts.allows16And4Bit()) {
            checkNeedsOpset21("activationType", config.activationType(), facts, problems);
            checkNeedsOpset21("weightType", config.weightType(), facts, problems);
            for (Map.Entry<String, NodeOverride> entry : config.nodeOverrides().entrySet()) {
                checkNeedsOpset21("nodeOverrides['" + entry.getKey() + "'].activationType",
                        entry.getValue().activationType(), facts, problems);
                checkNeedsOpset21("nodeOverrides['" + entry.getKey() + "'].weightType",
                        entry.getValue().weightType(), facts, problems);
            }
        }
        Set<String> quantized = quantizedOpTypes(config, facts);
        if (quantized.isEmpty()) {
            problems.add("none of the op types to quantize " + opTypesToQuantize(config, facts)
                    + " is in the model, which has " + facts.opTypesPresent());
        }
        if (!facts.supports(config.operatorForm())) {
            problems.add("operatorForm " + config.operatorForm() + " writes ONNX Runtime com.microsoft operators, "
                    + "which are checked on " + OperatorForm.CPU_EXECUTION_PROVIDER + " only, not on execution provider "
                    + facts.executionProvider() + "; use operatorForm " + OperatorForm.Standard + " or "
                    + OperatorForm.CPU_EXECUTION_PROVIDER);
        }
        if (!facts.nodeNames().isEmpty()) {
            for (String node : config.nodeOverrides().keySet()) {
                if (!facts.nodeNames().contains(node)) {
                    problems.add("nodeOverrides names node '" + node + "', which is not in the model");
                }
            }
        }
        return problems;
    }

    /** Returns the op types {@code config} quantizes that the model has. */
    public static Set<String> quantizedOpTypes(QuantConfig config, ModelFacts facts) {
        Set<String> quantized = new TreeSet<>(opTypesToQuantize(config, facts));
        quantized.retainAll(facts.opTypesPresent());
        return quantized;
    }

    private static Set<String> opTypesToQuantize(QuantConfig config, ModelFacts facts) {
        if (config.opTypesToQuantize() != null) {
            return new TreeSet<>(config.opTypesToQuantize());
        }
        return config.format() == QuantFormat.Dynamic ? new TreeSet<>(QuantConfig.DYNAMIC_OP_TYPES)
                : facts.defaultOpTypes();
    }

    private static void checkNeedsOpset21(String property, QuantType type, ModelFacts facts, List<String> problems) {
        if (type != null && type.bits() != 8) {
            problems.add(property + " " + type + " needs opset " + ModelFacts.OPSET_FOR_16_AND_4_BIT
                    + ", but the model (opset " + facts.opset() + ") can be raised to opset "
                    + facts.maxReachableOpset() + " only; use an 8-bit type");
        }
    }
}
