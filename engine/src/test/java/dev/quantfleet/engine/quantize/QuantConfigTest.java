package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.calibration.CalibrationParameters;
import dev.quantfleet.engine.onnx.ElementType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantConfigTest {

    private static final List<String> PROPERTY_ORDER = List.of("format", "activationType", "weightType", "perChannel",
            "activationSymmetric", "weightSymmetric", "calibrationMethod", "calibrationParameters", "opTypesToQuantize",
            "nodesToExclude", "nodeOverrides", "quantizeEmbeddings", "operatorForm");

    @Test
    void everyPresetRoundTripsThroughJson() {
        for (Map.Entry<String, QuantConfig> preset : Presets.all().entrySet()) {
            String json = preset.getValue().toJson();

            assertThat(QuantConfig.fromJson(json)).as(preset.getKey()).isEqualTo(preset.getValue());
            assertThat(QuantConfig.fromJson(json).toJson()).as(preset.getKey()).isEqualTo(json);
        }
    }

    @Test
    void fullConfigRoundTripsThroughJson() {
        QuantConfig config = QuantConfig.builder().activationType(QuantType.QInt8).weightType(QuantType.QUInt4)
                .perChannel(false).activationSymmetric(true).weightSymmetric(false)
                .calibrationMethod(CalibrationMethod.Percentile)
                .calibrationParameters(CalibrationParameters.DEFAULTS.withPercentile(99.9))
                .opTypesToQuantize(List.of("MatMul", "Conv")).nodesToExclude(List.of("head/*", "regex:.*Softmax"))
                .nodeOverrides(Map.of("conv1", NodeOverride.activations(QuantType.QUInt16), "fc", NodeOverride.keepInFloat()))
                .quantizeEmbeddings(false).build();

        QuantConfig restored = QuantConfig.fromJson(config.toJson());

        assertThat(restored).isEqualTo(config);
        assertThat(restored.opTypesToQuantize()).as("sorted").containsExactly("Conv", "MatMul");
        assertThat(restored.nodeOverrides().get("conv1").activationType()).isEqualTo(QuantType.QUInt16);
    }

    @Test
    void operatorFormJsonNamesAndDefault() throws Exception {
        QuantConfig fused = QuantConfig.fromJson("{\"operatorForm\": \"ContribFused\"}");
        JsonNode json = new ObjectMapper().readTree(fused.toJson());

        assertThat(fused).isEqualTo(Presets.byName("a8w8").toBuilder().operatorForm(OperatorForm.ContribFused).build());
        assertThat(QuantConfig.fromJson(fused.toJson())).as("round trip").isEqualTo(fused);
        assertThat(json.get("operatorForm").asText()).isEqualTo("ContribFused");
        assertThat(QuantConfig.fromJson("{}").operatorForm()).isEqualTo(OperatorForm.Standard);
        assertThat(QuantConfig.fromJson(Presets.byName("a8w8").toJson()).operatorForm()).isEqualTo(OperatorForm.Standard);
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"operatorForm\": \"Fused\"}"))
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("'Fused'").hasMessageContaining("[Standard, ContribFused]");
    }

    @Test
    void contribFusedRejectsSixteenBitTypes() {
        InvalidQuantConfigException error = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidQuantConfigException.class, () -> QuantConfig.builder().operatorForm(OperatorForm.ContribFused)
                        .activationType(QuantType.QUInt16).weightType(QuantType.QInt16).build());

        assertThat(error.problems()).hasSize(2);
        assertThat(error.problems().get(0)).contains("operatorForm ContribFused needs 8-bit activations")
                .contains("activationType is QUInt16").contains("set activationType to QUInt8 or QInt8");
        assertThat(error.problems().get(1)).contains("operatorForm ContribFused needs 8-bit weights")
                .contains("weightType is QInt16").contains("set operatorForm to Standard");
        assertThatThrownBy(() -> Presets.byName("a16w8").toBuilder().operatorForm(OperatorForm.ContribFused).build())
                .isInstanceOf(InvalidQuantConfigException.class).hasMessageContaining("activationType is QUInt16");
    }

    @Test
    void operatorFormSupportByExecutionProvider() {
        assertThat(OperatorForm.ContribFused.isSupportedBy("CPUExecutionProvider")).isTrue();
        assertThat(OperatorForm.ContribFused.isSupportedBy("CUDAExecutionProvider")).as("not checked").isFalse();
        assertThat(OperatorForm.ContribFused.isSupportedBy(null)).isFalse();
        assertThat(OperatorForm.Standard.isSupportedBy("CUDAExecutionProvider")).isTrue();
    }

    @Test
    void jsonWritesEveryPropertyOnceInFixedOrder() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Presets.byName("a8w8").toJson());

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(PROPERTY_ORDER);
        assertThat(json.get("activationType").asText()).isEqualTo("QUInt8");
        assertThat(json.get("weightType").asText()).isEqualTo("QInt8");
        assertThat(json.get("calibrationMethod").asText()).isEqualTo("MinMax");
        assertThat(json.get("opTypesToQuantize").isNull()).isTrue();
        List<String> parameterNames = new ArrayList<>();
        json.get("calibrationParameters").fieldNames().forEachRemaining(parameterNames::add);
        assertThat(parameterNames).containsExactly("percentile", "numBins", "numQuantizedBins");
    }

    @Test
    void absentPropertiesTakeDefaults() {
        QuantConfig config = QuantConfig.fromJson("{\"activationType\": \"int8\", \"calibrationParameters\": {}}");

        assertThat(config).isEqualTo(Presets.byName("a8w8").toBuilder().activationType(QuantType.QInt8).build());
        assertThat(QuantConfig.fromJson("{}")).isEqualTo(Presets.byName("a8w8"));
    }

    @Test
    void unknownPropertyIsRejectedWithKnownNames() {
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"perChanel\": true}"))
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("unknown property 'perChanel'")
                .hasMessageContaining("perChannel");
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"calibrationParameters\": {\"percentil\": 99}}"))
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("unknown property 'percentil' in calibrationParameters")
                .hasMessageContaining("percentile");
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"nodeOverrides\": {\"n\": {\"keepfloat\": true}}}"))
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("unknown property 'keepfloat'")
                .hasMessageContaining("keepFloat");
    }

    @Test
    void jsonErrorsUsePlainWords() {
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("{\"foo\": 1}", "unknown property 'foo' at the top level; known properties: [format, "
                + "activationType, weightType, perChannel, activationSymmetric, weightSymmetric, calibrationMethod, "
                + "calibrationParameters, opTypesToQuantize, nodesToExclude, nodeOverrides, quantizeEmbeddings, operatorForm]");
        messages.put("{\"nodeOverrides\": {\"/x\": {\"keepFloat\": [true]}}}",
                "property nodeOverrides./x.keepFloat must be a boolean (true or false), but is an array");
        messages.put("{\"nodeOverrides\": {\"/x\": {\"keepfloat\": true}}}", "unknown property 'keepfloat' in "
                + "nodeOverrides./x; known properties: [activationType, weightType, keepFloat]");
        messages.put("{\"perChannel\": 1}", "property perChannel must be a boolean (true or false), but is the "
                + "number 1");
        messages.put("{\"perChannel\": \"true\"}", "property perChannel must be a boolean (true or false), but is "
                + "a string");
        messages.put("{\"perChannel\": null}", "property perChannel is null; give a boolean (true or false), or "
                + "remove the property to use its default");
        messages.put("{\"nodesToExclude\": [\"a\", 5]}", "property nodesToExclude[1] must be a string, but is the "
                + "number 5");
        messages.put("{\"format\": \"QDQ\",\n \"format\": \"Dynamic\"}", "property 'format' appears twice at "
                + "line 2, column 10; keep one of them");
        messages.put("{\"perChannel\": true,\n", "the JSON ends early at line 2, column 1; the file looks "
                + "truncated, so close every '{' and '['");
        for (Map.Entry<String, String> entry : messages.entrySet()) {
            assertThatThrownBy(() -> QuantConfig.fromJson(entry.getKey()))
                    .as(entry.getKey())
                    .isInstanceOf(InvalidQuantConfigException.class)
                    .hasMessage("Invalid quantization config: " + entry.getValue());
        }
    }

    @Test
    void invalidValuesNameTheAllowedSet() {
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"weightType\": \"QInt3\"}"))
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("QInt3").hasMessageContaining("QInt8");
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"calibrationParameters\": {\"percentile\": 20}}"))
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("percentile is 20.0");
        assertThatThrownBy(() -> QuantConfig.fromJson("{\"perChannel\": "))
                .isInstanceOf(InvalidQuantConfigException.class);
    }

    @Test
    void fourBitActivationsAreRejected() {
        assertThatThrownBy(() -> QuantConfig.builder().activationType(QuantType.QInt4).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("activationType QInt4 is not supported")
                .hasMessageContaining("QUInt8");
    }

    @Test
    void unsignedSixteenBitWeightsAreRejected() {
        assertThatThrownBy(() -> QuantConfig.builder().weightType(QuantType.QUInt16).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("weightType QUInt16 is not supported for weights");
    }

    @Test
    void percentileWithMinMaxIsRejected() {
        assertThatThrownBy(() -> QuantConfig.builder()
                .calibrationParameters(CalibrationParameters.DEFAULTS.withPercentile(99.9)).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("percentile is 99.9, but calibrationMethod is MinMax");
        assertThatThrownBy(() -> QuantConfig.builder().calibrationMethod(CalibrationMethod.Percentile)
                .calibrationParameters(CalibrationParameters.DEFAULTS.withNumQuantizedBins(64)).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("numQuantizedBins is 64, but calibrationMethod is Percentile");
    }

    @Test
    void dynamicFormatRejectsWhatItCannotDo() {
        InvalidQuantConfigException error = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidQuantConfigException.class, () -> QuantConfig.builder().format(QuantFormat.Dynamic)
                        .activationType(QuantType.QInt16).weightType(QuantType.QInt4).activationSymmetric(true)
                        .calibrationMethod(CalibrationMethod.Entropy).build());

        assertThat(error.problems()).hasSize(4);
        assertThat(error.getMessage()).contains("DynamicQuantizeLinear, which produces QUInt8 only")
                .contains("set activationSymmetric to false")
                .contains("MatMulInteger, which takes 8-bit weights only")
                .contains("calibrationMethod Entropy would have no effect");
    }

    @Test
    void opTypesAndOverridesAreChecked() {
        assertThatThrownBy(() -> QuantConfig.builder().opTypesToQuantize(List.of("LayerNormalization")).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("op type 'LayerNormalization'").hasMessageContaining("MatMul");
        assertThatThrownBy(() -> QuantConfig.builder().opTypesToQuantize(List.of()).build())
                .isInstanceOf(InvalidQuantConfigException.class).hasMessageContaining("opTypesToQuantize is empty");
        assertThatThrownBy(() -> QuantConfig.builder()
                .nodeOverrides(Map.of("n", new NodeOverride(QuantType.QUInt16, null, true))).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("sets keepFloat together with a type");
        assertThatThrownBy(() -> QuantConfig.builder()
                .nodeOverrides(Map.of("n", NodeOverride.activations(QuantType.QUInt4))).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("nodeOverrides['n'].activationType QUInt4 is not supported");
        assertThatThrownBy(() -> QuantConfig.builder().nodesToExclude(List.of("regex:(unclosed")).build())
                .isInstanceOf(InvalidQuantConfigException.class)
                .hasMessageContaining("'regex:(unclosed' is not a valid regular expression");
    }

    @Test
    void effectiveSettingsApplyTheOverride() {
        QuantConfig config = QuantConfig.builder()
                .nodeOverrides(Map.of("wide", NodeOverride.activations(QuantType.QInt16))).build();

        assertThat(config.effectiveSettings("wide").activationType()).isEqualTo(QuantType.QInt16);
        assertThat(config.effectiveSettings("wide").weightType()).isEqualTo(QuantType.QInt8);
        assertThat(config.effectiveSettings("other").activationType()).isEqualTo(QuantType.QUInt8);
    }

    @Test
    void presetsMatchTheirDescriptions() {
        QuantConfig a8w8 = Presets.byName("a8w8");
        assertThat(a8w8.format()).isEqualTo(QuantFormat.QDQ);
        assertThat(a8w8.activationType()).isEqualTo(QuantType.QUInt8);
        assertThat(a8w8.activationSymmetric()).isFalse();
        assertThat(a8w8.weightType()).isEqualTo(QuantType.QInt8);
        assertThat(a8w8.weightSymmetric()).isTrue();
        assertThat(a8w8.perChannel()).isTrue();
        assertThat(a8w8.calibrationMethod()).isEqualTo(CalibrationMethod.MinMax);
        assertThat(Presets.byName("a8w8-percentile").calibrationMethod()).isEqualTo(CalibrationMethod.Percentile);
        assertThat(Presets.byName("a8w8-entropy").calibrationMethod()).isEqualTo(CalibrationMethod.Entropy);
        assertThat(Presets.byName("a16w8").activationType()).isEqualTo(QuantType.QUInt16);
        assertThat(Presets.byName("dynamic-int8").format()).isEqualTo(QuantFormat.Dynamic);
        assertThat(Presets.names()).containsExactly("a8w8", "a8w8-percentile", "a8w8-entropy", "a16w8", "dynamic-int8");
    }

    @Test
    void unknownPresetListsTheNames() {
        assertThatThrownBy(() -> Presets.byName("int8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'int8'")
                .hasMessageContaining("[a8w8, a8w8-percentile, a8w8-entropy, a16w8, dynamic-int8]");
    }

    @Test
    void quantTypeParsesBothNamings() {
        assertThat(QuantType.parse("QUInt8")).isEqualTo(QuantType.QUInt8);
        assertThat(QuantType.parse("quint8")).isEqualTo(QuantType.QUInt8);
        assertThat(QuantType.parse("uint8")).isEqualTo(QuantType.QUInt8);
        assertThat(QuantType.QInt4.elementType()).isEqualTo(ElementType.INT4);
        assertThat(QuantType.of(ElementType.UINT16)).isEqualTo(QuantType.QUInt16);
    }
}
