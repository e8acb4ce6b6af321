package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.quantize.ops.OpRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The rules that reject invalid combinations in a {@link QuantConfig}, each with its reason and fix. */
final class QuantConfigValidation {

    private QuantConfigValidation() {
    }

    static List<String> problems(QuantFormat format, QuantType activationType, QuantType weightType,
                                 boolean activationSymmetric, CalibrationMethod calibrationMethod,
                                 CalibrationParameters calibrationParameters, List<String> opTypesToQuantize,
                                 List<String> nodesToExclude, Map<String, NodeOverride> nodeOverrides,
                                 OperatorForm operatorForm) {
        List<String> problems = new ArrayList<>();
        if (format == null || activationType == null || weightType == null || calibrationMethod == null
                || calibrationParameters == null || operatorForm == null) {
            problems.add("format, activationType, weightType, calibrationMethod, calibrationParameters and "
                    + "operatorForm must be set");
            return problems;
        }
        checkActivationType("activationType", activationType, problems);
        checkWeightType("weightType", weightType, problems);
        if (format == QuantFormat.Dynamic) {
            checkDynamic(activationType, weightType, activationSymmetric, problems);
            if (calibrationMethod != CalibrationMethod.MinMax) {
                problems.add("Dynamic format needs no calibration, so calibrationMethod " + calibrationMethod
                        + " would have no effect; leave it at MinMax");
            }
        }
        if (operatorForm == OperatorForm.ContribFused) {
            checkContribFused(activationType, weightType, problems);
        }
        checkCalibrationParameters(calibrationMethod, calibrationParameters, problems);
        checkOpTypes(format, opTypesToQuantize, problems);
        for (String pattern : nodesToExclude) {
            String problem = QuantConfig.patternProblem(pattern);
            if (problem != null) {
                problems.add(problem);
            }
        }
        nodeOverrides.forEach((node, override) -> checkOverride(format, node, override, problems));
        return problems;
    }

    private static void checkActivationType(String property, QuantType type, List<String> problems) {
        if (!QuantConfig.ACTIVATION_TYPES.contains(type)) {
            problems.add(property + " " + type + " is not supported: ONNX Runtime has no " + type.bits()
                    + "-bit activation kernels; use one of " + QuantConfig.ACTIVATION_TYPES);
        }
    }

    private static void checkWeightType(String property, QuantType type, List<String> problems) {
        if (!QuantConfig.WEIGHT_TYPES.contains(type)) {
            problems.add(property + " " + type + " is not supported for weights; use one of " + QuantConfig.WEIGHT_TYPES);
        }
    }

    private static void checkDynamic(QuantType activationType, QuantType weightType, boolean activationSymmetric,
                                     List<String> problems) {
        if (activationType != QuantType.QUInt8) {
            problems.add("Dynamic format quantizes activations with DynamicQuantizeLinear, which produces QUInt8 only; "
                    + "set activationType to QUInt8 (got " + activationType + ")");
        }
        if (activationSymmetric) {
            problems.add("Dynamic format computes asymmetric activation ranges at run time; set activationSymmetric "
                    + "to false");
        }
        if (weightType.bits() != 8) {
            problems.add("Dynamic format multiplies with MatMulInteger, which takes 8-bit weights only; set weightType "
                    + "to QInt8 or QUInt8 (got " + weightType + ")");
        }
    }

    /**
     * ContribFused writes MatMulIntegerToFloat and DynamicQuantizeMatMul, whose inputs are 8-bit
     * integers only. A node override with a wider type is not rejected: that node keeps its
     * Standard form.
     */
    private static void checkContribFused(QuantType activationType, QuantType weightType, List<String> problems) {
        if (activationType.bits() != 8) {
            problems.add("operatorForm ContribFused needs 8-bit activations (MatMulIntegerToFloat takes uint8 or "
                    + "int8 inputs only), but activationType is " + activationType
                    + "; set activationType to QUInt8 or QInt8, or set operatorForm to Standard");
        }
        if (weightType.bits() != 8) {
            problems.add("operatorForm ContribFused needs 8-bit weights (MatMulIntegerToFloat and "
                    + "DynamicQuantizeMatMul take uint8 or int8 weights only), but weightType is " + weightType
                    + "; set weightType to QInt8 or QUInt8, or set operatorForm to Standard");
        }
    }

    /** Rejects parameters that the chosen method ignores, so that a setting never silently does nothing. */
    private static void checkCalibrationParameters(CalibrationMethod method, CalibrationParameters parameters,
                                                   List<String> problems) {
        CalibrationParameters defaults = CalibrationParameters.DEFAULTS;
        if (parameters.percentile() != defaults.percentile() && method != CalibrationMethod.Percentile) {
            problems.add("calibrationParameters.percentile is " + parameters.percentile() + ", but calibrationMethod is "
                    + method + ", which ignores it; set calibrationMethod to Percentile or remove the percentile");
        }
        if (parameters.numQuantizedBins() != defaults.numQuantizedBins() && method != CalibrationMethod.Entropy) {
            problems.add("calibrationParameters.numQuantizedBins is " + parameters.numQuantizedBins()
                    + ", but calibrationMethod is " + method + ", which ignores it; set calibrationMethod to Entropy "
                    + "or remove numQuantizedBins");
        }
    }

    private static void checkOpTypes(QuantFormat format, List<String> opTypes, List<String> problems) {
        if (opTypes == null) {
            return;
        }
        if (opTypes.isEmpty()) {
            problems.add("opTypesToQuantize is empty, so nothing would be quantized; omit it for the model's default "
                    + "or list op types");
            return;
        }
        var supported = format == QuantFormat.Dynamic ? QuantConfig.DYNAMIC_OP_TYPES : OpRegistry.standard().opTypes();
        for (String opType : opTypes) {
            if (!supported.contains(opType)) {
                problems.add("op type '" + opType + "' in opTypesToQuantize is not supported in " + format
                        + " format; supported: " + new java.util.TreeSet<>(supported));
            }
        }
    }

    private static void checkOverride(QuantFormat format, String node, NodeOverride override, List<String> problems) {
        if (node.isBlank()) {
            problems.add("nodeOverrides has an empty node name");
        }
        if (override == null) {
            problems.add("nodeOverrides entry for node '" + node + "' is null");
            return;
        }
        if (override.keepFloat() && (override.activationType() != null || override.weightType() != null)) {
            problems.add("nodeOverrides entry for node '" + node + "' sets keepFloat together with a type; "
                    + "keep the node in float or change its types, not both");
        }
        if (override.activationType() != null) {
            checkActivationType("nodeOverrides['" + node + "'].activationType", override.activationType(), problems);
            if (format == QuantFormat.Dynamic && override.activationType() != QuantType.QUInt8) {
                problems.add("nodeOverrides['" + node + "'].activationType must be QUInt8 in Dynamic format");
            }
        }
        if (override.weightType() != null) {
            checkWeightType("nodeOverrides['" + node + "'].weightType", override.weightType(), problems);
            if (format == QuantFormat.Dynamic && override.weightType().bits() != 8) {
                problems.add("nodeOverrides['" + node + "'].weightType must be 8-bit in Dynamic format");
            }
        }
    }
}
