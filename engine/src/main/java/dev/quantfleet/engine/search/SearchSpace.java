package dev.quantfleet.engine.search;

import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configurations a search may try: one categorical dimension per {@link QuantConfig}
 * setting, and one per node listed in {@code precisionNodes}. A point picks one value of every
 * dimension; {@link #point} turns it into a candidate or returns the reason it is skipped. A skipped point
 * is never changed into another candidate. The rules:
 * <ul>
 *   <li>A dimension that has no effect under the other choices accepts only its first value, so
 *       that no two points are the same candidate: a percentile other than the first unless the
 *       calibration method is Percentile; {@code quantizeEmbeddings} other than the first when no
 *       Gather is quantized; an operator form other than the first when no MatMul is quantized;
 *       16-bit activations for a node when the activations already are 16-bit.</li>
 *   <li>{@link QuantConfig}'s own validation: e.g. Dynamic format only with QUInt8 asymmetric
 *       activations, 8-bit weights and MinMax; ContribFused only with 8-bit activation and
 *       weight types.</li>
 *   <li>16-bit activations per node only in QDQ format.</li>
 *   <li>{@link CandidateRules}: 16-bit and 4-bit types only when the model reaches opset 21, op
 *       types that the model has, ContribFused only on an execution provider that runs it.</li>
 * </ul>
 *
 * <p>JSON: the record's properties; an absent or null dimension takes the value of
 * {@link #defaults()}. In {@code opTypeSets} an empty list stands for the model's default op
 * types. A new dimension is a new property, an entry in {@link #dimensionSizes()}, one line in
 * {@link #point} and one in {@link #locate}, placed after the other settings and before the
 * per-node dimensions, which come last.
 *
 * @param formats              QDQ and/or Dynamic
 * @param activationTypes      activation types
 * @param weightTypes          weight types
 * @param perChannel           per-channel (true) or per-tensor (false) weight scales
 * @param activationSymmetric  symmetric activation ranges
 * @param weightSymmetric      symmetric weight ranges
 * @param calibrationMethods   calibration methods
 * @param percentiles          percentiles tried with the Percentile method
 * @param opTypeSets           sets of op types to quantize; an empty set is the model's default
 * @param quantizeEmbeddings   quantized (true) or float (false) Gather tables
 * @param operatorForms        operator forms of the quantized MatMul nodes, see {@link OperatorForm}
 * @param precisionNodes       nodes that get a precision dimension each; usually empty
 * @param nodePrecisions       the precisions tried for each of {@code precisionNodes}, and
 *                             allowed in the mixed-precision step of the {@code auto} strategy
 */
public record SearchSpace(List<QuantFormat> formats, List<QuantType> activationTypes, List<QuantType> weightTypes,
                          List<Boolean> perChannel, List<Boolean> activationSymmetric, List<Boolean> weightSymmetric,
                          List<CalibrationMethod> calibrationMethods, List<Double> percentiles,
                          List<List<String>> opTypeSets, List<Boolean> quantizeEmbeddings,
                          List<OperatorForm> operatorForms, List<String> precisionNodes, List<NodePrecision> nodePrecisions) {

    private static final int PERCENTILE_DIMENSION = 7;
    private static final int EMBEDDINGS_DIMENSION = 9;
    private static final int OPERATOR_FORM_DIMENSION = 10;
    private static final int FIRST_NODE_DIMENSION = 11;

    public SearchSpace {
        formats = values("formats", formats, List.of(QuantFormat.QDQ, QuantFormat.Dynamic));
        activationTypes = values("activationTypes", activationTypes,
                List.of(QuantType.QUInt8, QuantType.QInt8, QuantType.QUInt16));
        weightTypes = values("weightTypes", weightTypes, List.of(QuantType.QInt8, QuantType.QUInt8, QuantType.QInt4));
        perChannel = values("perChannel", perChannel, List.of(true, false));
        activationSymmetric = values("activationSymmetric", activationSymmetric, List.of(false, true));
        weightSymmetric = values("weightSymmetric", weightSymmetric, List.of(true, false));
        calibrationMethods = values("calibrationMethods", calibrationMethods, List.of(CalibrationMethod.MinMax,
                CalibrationMethod.Percentile, CalibrationMethod.Entropy, CalibrationMethod.MinMSE));
        percentiles = values("percentiles", percentiles, List.of(99.999, 99.99, 99.9));
        opTypeSets = values("opTypeSets", opTypeSets, List.of(List.of())).stream()
                .map(List::copyOf).toList();
        quantizeEmbeddings = values("quantizeEmbeddings", quantizeEmbeddings, List.of(true, false));
        operatorForms = values("operatorForms", operatorForms, List.of(OperatorForm.Standard, OperatorForm.ContribFused));
        precisionNodes = precisionNodes == null ? List.of() : List.copyOf(precisionNodes);
        nodePrecisions = values("nodePrecisions", nodePrecisions,
                List.of(NodePrecision.AS_CONFIGURED, NodePrecision.FLOAT, NodePrecision.ACTIVATIONS_16BIT));
    }

    /**
     * Returns the default space. It has QDQ and Dynamic format, QUInt8, QInt8 and QUInt16
     * activations, QInt8, QUInt8 and QInt4 weights, both granularities and symmetries, and the
     * four calibration methods. Percentiles are 99.999, 99.99 and 99.9, op types the model's
     * default, embeddings quantized or not, operator form Standard or ContribFused, and there are
     * no per-node dimensions.
     */
    public static SearchSpace defaults() {
        return new SearchSpace(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public SearchSpace withPrecisionNodes(List<String> nodes) {
        return new SearchSpace(formats, activationTypes, weightTypes, perChannel, activationSymmetric, weightSymmetric,
                calibrationMethods, percentiles, opTypeSets, quantizeEmbeddings, operatorForms, nodes, nodePrecisions);
    }

    /** Returns the number of values of every dimension, in point order. */
    public List<Integer> dimensionSizes() {
        List<Integer> sizes = new ArrayList<>(List.of(formats.size(), activationTypes.size(), weightTypes.size(),
                perChannel.size(), activationSymmetric.size(), weightSymmetric.size(), calibrationMethods.size(),
                percentiles.size(), opTypeSets.size(), quantizeEmbeddings.size(), operatorForms.size()));
        precisionNodes.forEach(node -> sizes.add(nodePrecisions.size()));
        return sizes;
    }

    /** Returns the number of points, valid or not; saturates at {@link Long#MAX_VALUE}. */
    public long pointCount() {
        long count = 1;
        for (int size : dimensionSizes()) {
            count = Math.multiplyHigh(count, size) != 0 ? Long.MAX_VALUE : count * size;
        }
        return count;
    }

    /** Returns the choices of point number {@code index}: mixed radix, the last dimension fastest. */
    public List<Integer> choicesAt(long index) {
        List<Integer> sizes = dimensionSizes();
        Integer[] choices = new Integer[sizes.size()];
        long rest = index;
        for (int dimension = sizes.size() - 1; dimension >= 0; dimension--) {
            choices[dimension] = (int) (rest % sizes.get(dimension));
            rest /= sizes.get(dimension);
        }
        return List.of(choices);
    }

    /** Returns the candidate of {@code choices} for the model of {@code facts}, or why there is none. */
    public SpacePoint point(List<Integer> choices, ModelFacts facts) {
        if (choices.size() != dimensionSizes().size()) {
            throw new IllegalArgumentException("A point of this space has " + dimensionSizes().size()
                    + " choices; got " + choices.size());
        }
        CalibrationMethod method = calibrationMethods.get(choices.get(6));
        if (method != CalibrationMethod.Percentile && choices.get(PERCENTILE_DIMENSION) != 0) {
            return skipped(choices, "percentile applies only to the Percentile method; same candidate as percentile "
                    + percentiles.get(0));
        }

        QuantFormat format = formats.get(choices.get(0));
        QuantType activationType = activationTypes.get(choices.get(1));
        CalibrationParameters parameters = method == CalibrationMethod.Percentile
                ? CalibrationParameters.DEFAULTS.withPercentile(percentiles.get(choices.get(PERCENTILE_DIMENSION)))
                : CalibrationParameters.DEFAULTS;
        List<String> opTypes = opTypeSets.get(choices.get(8));

        Map<String, NodeOverride> overrides = new TreeMap<>();
        for (int i = 0; i < precisionNodes.size(); i++) {
            NodePrecision precision = nodePrecisions.get(choices.get(FIRST_NODE_DIMENSION + i));
            String problem = addOverride(overrides, precisionNodes.get(i), precision, format, activationType);
            if (problem != null) {
                return skipped(choices, problem);
            }
        }

        QuantConfig config;
        try {
            config = QuantConfig.builder().format(format).activationType(activationType)
                    .weightType(weightTypes.get(choices.get(2))).perChannel(perChannel.get(choices.get(3)))
                    .activationSymmetric(activationSymmetric.get(choices.get(4)))
                    .weightSymmetric(weightSymmetric.get(choices.get(5))).calibrationMethod(method)
                    .calibrationParameters(parameters).opTypesToQuantize(opTypes.isEmpty() ? null : opTypes)
                    .quantizeEmbeddings(quantizeEmbeddings.get(choices.get(EMBEDDINGS_DIMENSION)))
                    .operatorForm(operatorForms.get(choices.get(OPERATOR_FORM_DIMENSION)))
                    .nodeOverrides(overrides).build();
        } catch (InvalidQuantConfigException e) {
            return skipped(choices, String.join("; ", e.problems()));
        }

        Set<String> quantizedOpTypes = CandidateRules.quantizedOpTypes(config, facts);
        if (choices.get(EMBEDDINGS_DIMENSION) != 0 && !quantizedOpTypes.contains("Gather")) {
            return skipped(choices, "quantizeEmbeddings has no effect when no Gather is quantized; same candidate as "
                    + "quantizeEmbeddings " + quantizeEmbeddings.get(0));
        }
        // NOTE: ContribFused changes only a MatMul followed by a bias Add, which ModelFacts does not
        // record, so on a model whose MatMuls have no bias Add both forms give the same graph.
        if (choices.get(OPERATOR_FORM_DIMENSION) != 0 && !quantizedOpTypes.contains("MatMul")) {
            return skipped(choices, "operatorForm has no effect when no MatMul is quantized; same candidate as "
                    + "operatorForm " + operatorForms.get(0));
        }
        List<String> problems = CandidateRules.problems(config, facts);
        if (!problems.isEmpty()) {
            return skipped(choices, String.join("; ", problems));
        }
        return new SpacePoint(choices, config, null);
    }

    /**
     * Returns the choices whose candidate has the settings of {@code config}, ignoring overrides of
     * nodes outside {@code precisionNodes} and {@code nodesToExclude}; empty when a setting is
     * not among a dimension's values.
     */
    public Optional<List<Integer>> locate(QuantConfig config) {
        List<Integer> choices = new ArrayList<>();
        choices.add(formats.indexOf(config.format()));
        choices.add(activationTypes.indexOf(config.activationType()));
        choices.add(weightTypes.indexOf(config.weightType()));
        choices.add(perChannel.indexOf(config.perChannel()));
        choices.add(activationSymmetric.indexOf(config.activationSymmetric()));
        choices.add(weightSymmetric.indexOf(config.weightSymmetric()));
        choices.add(calibrationMethods.indexOf(config.calibrationMethod()));
        choices.add(config.calibrationMethod() == CalibrationMethod.Percentile
                ? percentiles.indexOf(config.calibrationParameters().percentile()) : 0);
        choices.add(opTypeSets.indexOf(config.opTypesToQuantize() == null ? List.of() : config.opTypesToQuantize()));
        choices.add(quantizeEmbeddings.indexOf(config.quantizeEmbeddings()));
        choices.add(operatorForms.indexOf(config.operatorForm()));
        for (String node : precisionNodes) {
            choices.add(nodePrecisions.indexOf(precisionOf(config.nodeOverrides().get(node))));
        }
        return choices.contains(-1) ? Optional.empty() : Optional.of(choices);
    }

    private static NodePrecision precisionOf(NodeOverride override) {
        if (override == null) {
            return NodePrecision.AS_CONFIGURED;
        }
        if (override.keepFloat()) {
            return NodePrecision.FLOAT;
        }
        boolean sixteenBit = override.activationType() != null && override.activationType().bits() == 16
                && override.weightType() == null;
        return sixteenBit ? NodePrecision.ACTIVATIONS_16BIT : null;
    }

    /** Adds the override of {@code precision} for {@code node}; returns why it cannot be, or null. */
    static String addOverride(Map<String, NodeOverride> overrides, String node, NodePrecision precision,
                              QuantFormat format, QuantType activationType) {
        switch (precision) {
            case AS_CONFIGURED -> {
                return null;
            }
            case FLOAT -> overrides.put(node, NodeOverride.keepInFloat());
            case ACTIVATIONS_16BIT -> {
                if (format != QuantFormat.QDQ) {
                    return "16-bit activations for node '" + node + "' need QDQ format, not " + format;
                }
                if (activationType.bits() == 16) {
                    return "16-bit activations for node '" + node + "' are the configured ones; same candidate as "
                            + NodePrecision.AS_CONFIGURED;
                }
                overrides.put(node, NodeOverride.activations(sixteenBitLike(activationType)));
            }
        }
        return null;
    }

    /** Returns the 16-bit activation type of the same signedness as {@code activationType}. */
    static QuantType sixteenBitLike(QuantType activationType) {
        return activationType.isSigned() ? QuantType.QInt16 : QuantType.QUInt16;
    }

    private static SpacePoint skipped(List<Integer> choices, String reason) {
        return new SpacePoint(choices, null, reason);
    }

    private static <T> List<T> values(String dimension, List<T> values, List<T> defaults) {
        if (values == null) {
            return defaults;
        }
        if (values.isEmpty() || values.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("Search space dimension '" + dimension + "' is " + values
                    + "; list at least one value and no null, or omit it for the default " + defaults);
        }
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException("Search space dimension '" + dimension + "' lists a value twice: "
                    + values);
        }
        return List.copyOf(values);
    }
}
