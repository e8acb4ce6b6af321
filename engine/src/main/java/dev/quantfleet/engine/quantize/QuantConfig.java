package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.calibration.CalibrationParameters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One quantization strategy: how activations and weights are quantized, which nodes, and with
 * which calibration. Immutable and validated on construction; an invalid combination raises
 * {@link InvalidQuantConfigException} listing every problem with its fix. Option names follow
 * ONNX Runtime's quantization tool where it has one.
 *
 * <p>JSON: {@link #toJson()} writes every property, defaults included, in a fixed order;
 * {@link #fromJson(String)} fills absent properties with the defaults of {@link #builder()}
 * (the {@code a8w8} preset) and rejects unknown properties.
 *
 * @param format              QDQ (static, calibrated) or Dynamic (activations quantized at run time)
 * @param activationType      QUInt8, QInt8, QUInt16 or QInt16
 * @param weightType          QUInt8, QInt8, QInt4, QUInt4 or QInt16
 * @param perChannel          weights with one scale per output channel instead of one per tensor
 * @param activationSymmetric activation ranges centred on 0 (zero point 0, or the midpoint for unsigned types)
 * @param weightSymmetric     weight ranges centred on 0
 * @param calibrationMethod   how calibration statistics become activation ranges (QDQ format)
 * @param calibrationParameters percentile and histogram settings of the calibration method
 * @param opTypesToQuantize   op types to quantize; null selects the default of {@link DefaultOpTypes} for the model
 * @param nodesToExclude      node names, globs ({@code *}, {@code ?}) or {@code regex:} patterns left in float
 * @param nodeOverrides       per node name, settings that replace these ones
 * @param quantizeEmbeddings  store Gather tables (embeddings) quantized, dequantized after the Gather
 * @param operatorForm        Standard ONNX operators only, or ONNX Runtime's fused {@code com.microsoft}
 *                            operators where they apply (see {@link OperatorForm})
 */
@JsonPropertyOrder({"format", "activationType", "weightType", "perChannel", "activationSymmetric", "weightSymmetric",
    "calibrationMethod", "calibrationParameters", "opTypesToQuantize", "nodesToExclude", "nodeOverrides", "quantizeEmbeddings",
    "operatorForm"})
public record QuantConfig(QuantFormat format, QuantType activationType, QuantType weightType, boolean perChannel,
                          boolean activationSymmetric, boolean weightSymmetric, CalibrationMethod calibrationMethod,
                          CalibrationParameters calibrationParameters, List<String> opTypesToQuantize,
                          List<String> nodesToExclude, Map<String, NodeOverride> nodeOverrides,
                          boolean quantizeEmbeddings, OperatorForm operatorForm) {

    /** Activation types ONNX Runtime has QDQ kernels for. */
    public static final Set<QuantType> ACTIVATION_TYPES =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of(QuantType.QUInt8, QuantType.QInt8,
                    QuantType.QUInt16, QuantType.QInt16)));

    /** Weight types ONNX Runtime has DequantizeLinear kernels for. */
    public static final Set<QuantType> WEIGHT_TYPES =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of(QuantType.QUInt8, QuantType.QInt8,
                    QuantType.QInt4, QuantType.QUInt4, QuantType.QInt16)));

    /** Op types dynamic quantization rewrites. */
    public static final Set<String> DYNAMIC_OP_TYPES = Set.of("MatMul", "Gather");

    /** Prefix of a {@code nodesToExclude} entry that is a Java regular expression over the whole node name. */
    public static final String REGEX_PREFIX = "regex:";

    /**
     * Strict JSON reading: duplicate keys, trailing content and scalar coercions (1 or "true" for
     * a boolean, 5 for a string or an enum) are errors. {@link #fromJson} rejects null values
     * before mapping, because the creator cannot tell a null property from an absent one.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Boolean, coercion -> coercion
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, coercion -> coercion
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(CalibrationParametersJson.module())
            .build();

    public QuantConfig {
        opTypesToQuantize = opTypesToQuantize == null ? null : List.copyOf(new TreeSet<>(opTypesToQuantize));
        nodesToExclude = nodesToExclude == null ? List.of() : List.copyOf(new LinkedHashSet<>(nodesToExclude));
        nodeOverrides = nodeOverrides == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(nodeOverrides));
        List<String> problems = QuantConfigValidation.problems(format, activationType, weightType, activationSymmetric,
                calibrationMethod, calibrationParameters, opTypesToQuantize, nodesToExclude, nodeOverrides, operatorForm);
        if (!problems.isEmpty()) {
            throw new InvalidQuantConfigException(problems);
        }
    }

    @JsonCreator
    static QuantConfig fromJsonProperties(@JsonProperty("format") QuantFormat format,
                                          @JsonProperty("activationType") QuantType activationType,
                                          @JsonProperty("weightType") QuantType weightType,
                                          @JsonProperty("perChannel") Boolean perChannel,
                                          @JsonProperty("activationSymmetric") Boolean activationSymmetric,
                                          @JsonProperty("weightSymmetric") Boolean weightSymmetric,
                                          @JsonProperty("calibrationMethod") CalibrationMethod calibrationMethod,
                                          @JsonProperty("calibrationParameters") CalibrationParameters calibrationParameters,
                                          @JsonProperty("opTypesToQuantize") List<String> opTypesToQuantize,
                                          @JsonProperty("nodesToExclude") List<String> nodesToExclude,
                                          @JsonProperty("nodeOverrides") Map<String, NodeOverride> nodeOverrides,
                                          @JsonProperty("quantizeEmbeddings") Boolean quantizeEmbeddings,
                                          @JsonProperty("operatorForm") OperatorForm operatorForm) {
        Builder builder = builder();
        if (format != null) {
            builder.format(format);
        }
        if (activationType != null) {
            builder.activationType(activationType);
        }
        if (weightType != null) {
            builder.weightType(weightType);
        }
        if (perChannel != null) {
            builder.perChannel(perChannel);
        }
        if (activationSymmetric != null) {
            builder.activationSymmetric(activationSymmetric);
        }
        if (weightSymmetric != null) {
            builder.weightSymmetric(weightSymmetric);
        }
        if (quantizeEmbeddings != null) {
            builder.quantizeEmbeddings(quantizeEmbeddings);
        }
        if (operatorForm != null) {
            builder.operatorForm(operatorForm);
        }
        if (calibrationMethod != null) {
            builder.calibrationMethod(calibrationMethod);
        }
        if (calibrationParameters != null) {
            builder.calibrationParameters(calibrationParameters);
        }
        return builder.opTypesToQuantize(opTypesToQuantize).nodesToExclude(nodesToExclude)
                .nodeOverrides(nodeOverrides).build();
    }

    /** Reads a configuration, with defaults for absent properties. */
    public static QuantConfig fromJson(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            QuantConfigJsonErrors.firstNull(tree).ifPresent(problem -> {
                throw new InvalidQuantConfigException(List.of(problem));
            });
            return MAPPER.readValue(json, QuantConfig.class);
        } catch (JsonProcessingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidQuantConfigException invalid) {
                    throw invalid;
                }
                if (cause instanceof IllegalArgumentException invalidValue
                        && e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
                    throw new InvalidQuantConfigException(List.of("invalid value of property "
                            + QuantConfigJsonErrors.path(mapping) + ": " + invalidValue.getMessage()));
                }
            }
            throw new InvalidQuantConfigException(List.of(QuantConfigJsonErrors.describe(e)));
        }
    }

    /** Writes every property in a fixed order, so equal configurations give equal text. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing a quantization config as JSON failed", e);
        }
    }

    /** Returns the settings that apply to {@code nodeName}: this configuration with its override, if any. */
    public NodeOverride effectiveSettings(String nodeName) {
        NodeOverride override = nodeOverrides.get(nodeName);
        if (override == null) {
            return new NodeOverride(activationType, weightType, false);
        }
        return new NodeOverride(override.activationType() != null ? override.activationType() : activationType,
                override.weightType() != null ? override.weightType() : weightType, override.keepFloat());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().format(format).activationType(activationType).weightType(weightType)
                .perChannel(perChannel).activationSymmetric(activationSymmetric).weightSymmetric(weightSymmetric)
                .calibrationMethod(calibrationMethod).calibrationParameters(calibrationParameters)
                .opTypesToQuantize(opTypesToQuantize).nodesToExclude(nodesToExclude).nodeOverrides(nodeOverrides)
                .quantizeEmbeddings(quantizeEmbeddings).operatorForm(operatorForm);
    }

    /** Builds a configuration; starts from the {@code a8w8} defaults. */
    public static final class Builder {
        private QuantFormat format = QuantFormat.QDQ;
        private QuantType activationType = QuantType.QUInt8;
        private QuantType weightType = QuantType.QInt8;
        private boolean perChannel = true;
        private boolean activationSymmetric = false;
        private boolean weightSymmetric = true;
        private CalibrationMethod calibrationMethod = CalibrationMethod.MinMax;
        private CalibrationParameters calibrationParameters = CalibrationParameters.DEFAULTS;
        private List<String> opTypesToQuantize;
        private List<String> nodesToExclude = List.of();
        private Map<String, NodeOverride> nodeOverrides = Map.of();
        private boolean quantizeEmbeddings = true;
        private OperatorForm operatorForm = OperatorForm.Standard;

        public Builder format(QuantFormat value) {
            format = value;
            return this;
        }

        public Builder activationType(QuantType value) {
            activationType = value;
            return this;
        }

        public Builder weightType(QuantType value) {
            weightType = value;
            return this;
        }

        public Builder perChannel(boolean value) {
            perChannel = value;
            return this;
        }

        public Builder activationSymmetric(boolean value) {
            activationSymmetric = value;
            return this;
        }

        public Builder weightSymmetric(boolean value) {
            weightSymmetric = value;
            return this;
        }

        public Builder calibrationMethod(CalibrationMethod value) {
            calibrationMethod = value;
            return this;
        }

        public Builder calibrationParameters(CalibrationParameters value) {
            calibrationParameters = value;
            return this;
        }

        /** Op types to quantize; null selects the model-dependent default. */
        public Builder opTypesToQuantize(List<String> value) {
            opTypesToQuantize = value == null ? null : new ArrayList<>(value);
            return this;
        }

        public Builder nodesToExclude(List<String> value) {
            nodesToExclude = value == null ? List.of() : new ArrayList<>(value);
            return this;
        }

        public Builder nodeOverrides(Map<String, NodeOverride> value) {
            nodeOverrides = value == null ? Map.of() : new TreeMap<>(value);
            return this;
        }

        public Builder quantizeEmbeddings(boolean value) {
            quantizeEmbeddings = value;
            return this;
        }

        public Builder operatorForm(OperatorForm value) {
            operatorForm = value;
            return this;
        }

        public QuantConfig build() {
            return new QuantConfig(format, activationType, weightType, perChannel, activationSymmetric, weightSymmetric,
                    calibrationMethod, calibrationParameters, opTypesToQuantize, nodesToExclude, nodeOverrides, quantizeEmbeddings,
                    operatorForm);
        }
    }

    /** Checks one {@code nodesToExclude} entry's syntax; returns the problem, or null. */
    static String patternProblem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "nodesToExclude contains an empty entry; remove it";
        }
        if (pattern.startsWith(REGEX_PREFIX)) {
            try {
                Pattern.compile(pattern.substring(REGEX_PREFIX.length()));
            } catch (PatternSyntaxException e) {
                return "nodesToExclude entry '" + pattern + "' is not a valid regular expression: " + e.getDescription();
            }
        }
        return null;
    }
}
