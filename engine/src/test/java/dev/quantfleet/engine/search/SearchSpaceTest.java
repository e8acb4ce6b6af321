package dev.quantfleet.engine.search;

import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchSpaceTest {

    private final FakeModel model = new FakeModel();
    private final ModelFacts facts = model.facts(21);

    /** A one-point-per-dimension space with the given values; everything else at its first default. */
    private static SearchSpace space(List<QuantFormat> formats, List<QuantType> activations, List<QuantType> weights,
                                     List<CalibrationMethod> methods, List<Double> percentiles) {
        return new SearchSpace(formats, activations, weights, List.of(true), List.of(false), List.of(true), methods,
                percentiles, null, List.of(true, false), null, null, null);
    }

    @Test
    void validPointBuildsTheConfigOfItsChoices() {
        SearchSpace space = SearchSpace.defaults();

        SpacePoint point = space.point(List.of(0, 0, 2, 1, 0, 0, 1, 2, 0, 0, 0), facts);

        assertThat(point.skipReason()).isNull();
        assertThat(point.config()).isEqualTo(QuantConfig.builder().weightType(QuantType.QInt4).perChannel(false)
                .calibrationMethod(CalibrationMethod.Percentile)
                .calibrationParameters(point.config().calibrationParameters()).build());
        assertThat(point.config().calibrationParameters().percentile()).isEqualTo(99.9);
    }

    @Test
    void percentileOnlyVariesWithPercentileMethod() {
        SearchSpace space = space(List.of(QuantFormat.QDQ), List.of(QuantType.QUInt8), List.of(QuantType.QInt8),
                List.of(CalibrationMethod.MinMax, CalibrationMethod.Percentile), List.of(99.999, 99.9));

        SpacePoint minMaxOther = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0), facts);
        SpacePoint minMaxFirst = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts);
        SpacePoint percentileOther = space.point(List.of(0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0), facts);

        assertThat(minMaxOther.valid()).isFalse();
        assertThat(minMaxOther.skipReason()).contains("Percentile method");
        assertThat(minMaxFirst.config().calibrationParameters().percentile()).isEqualTo(99.999);
        assertThat(percentileOther.config().calibrationParameters().percentile()).isEqualTo(99.9);
    }

    @Test
    void dynamicNeedsUInt8EightBitAndMinMax() {
        SearchSpace space = space(List.of(QuantFormat.Dynamic), List.of(QuantType.QUInt8, QuantType.QInt8),
                List.of(QuantType.QInt8, QuantType.QInt4), List.of(CalibrationMethod.MinMax, CalibrationMethod.Entropy),
                List.of(99.999));

        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts).valid()).isTrue();
        assertThat(space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts).skipReason()).contains("QUInt8");
        assertThat(space.point(List.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), facts).skipReason()).contains("8-bit weights");
        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0), facts).skipReason()).contains("MinMax");
    }

    @Test
    void sixteenAndFourBitNeedOpset21() {
        SearchSpace space = space(List.of(QuantFormat.QDQ), List.of(QuantType.QUInt8, QuantType.QUInt16),
                List.of(QuantType.QInt8, QuantType.QInt4), List.of(CalibrationMethod.MinMax), List.of(99.999));
        ModelFacts opset17 = model.facts(17);

        assertThat(space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), opset17).skipReason()).contains("needs opset 21");
        assertThat(space.point(List.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), opset17).skipReason()).contains("needs opset 21");
        assertThat(space.point(List.of(0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), facts).valid()).isTrue();
    }

    @Test
    void embeddingsChoiceNeedsAQuantizedGather() {
        SearchSpace space = new SearchSpace(null, null, null, null, null, null, null, null,
                List.of(List.of(), List.of("MatMul")), List.of(true, false), null, null, null);

        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0), facts).valid()).isTrue();
        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0), facts).valid()).isTrue();
        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0), facts).skipReason())
                .contains("no Gather is quantized");
    }

    @Test
    void opTypesAbsentFromModelAreSkipped() {
        SearchSpace space = new SearchSpace(null, null, null, null, null, null, null, null,
                List.of(List.of("Conv")), null, null, null, null);

        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts).skipReason())
                .contains("none of the op types to quantize [Conv]");
    }

    @Test
    void nodePrecisionRules() {
        SearchSpace space = space(List.of(QuantFormat.QDQ, QuantFormat.Dynamic),
                List.of(QuantType.QUInt8, QuantType.QUInt16), List.of(QuantType.QInt8), List.of(CalibrationMethod.MinMax),
                List.of(99.999)).withPrecisionNodes(List.of(FakeModel.SENSITIVE_NODE));

        SpacePoint sixteenBit = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), facts);
        SpacePoint dynamicSixteenBit = space.point(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), facts);
        SpacePoint alreadySixteenBit = space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), facts);
        SpacePoint keptFloat = space.point(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), facts);

        assertThat(sixteenBit.config().nodeOverrides())
                .containsEntry(FakeModel.SENSITIVE_NODE, NodeOverride.activations(QuantType.QUInt16));
        assertThat(dynamicSixteenBit.skipReason()).contains("need QDQ format");
        assertThat(alreadySixteenBit.skipReason()).contains("same candidate");
        assertThat(keptFloat.config().nodeOverrides()).containsEntry(FakeModel.SENSITIVE_NODE, NodeOverride.keepInFloat());
    }

    @Test
    void validPointsAreDistinctCandidatesAndLocateBack() {
        SearchSpace space = SearchSpace.defaults();
        Set<String> ids = new HashSet<>();
        List<SpacePoint> valid = new ArrayList<>();
        for (long index = 0; index < space.pointCount(); index++) {
            SpacePoint point = space.point(space.choicesAt(index), facts);
            if (point.valid()) {
                valid.add(point);
                ids.add(SearchIds.candidateId(point.config()));
            }
        }

        List<SpacePoint> fused = valid.stream()
                .filter(point -> point.config().operatorForm() == OperatorForm.ContribFused).toList();
        assertThat(space.pointCount()).isEqualTo(2 * 3 * 3 * 2 * 2 * 2 * 4 * 3 * 1 * 2 * 2);
        assertThat(space.pointCount()).isEqualTo(6912);
        assertThat(valid).hasSizeGreaterThan(100);
        assertThat(ids).hasSize(valid.size());
        assertThat(fused).isNotEmpty();
        assertThat(fused).allMatch(point -> point.config().activationType().bits() == 8
                && point.config().weightType().bits() == 8);
        for (SpacePoint point : valid) {
            assertThat(space.locate(point.config())).contains(point.choices());
        }
    }

    @Test
    void spaceWithoutContribOpsStaysStandard() {
        SearchSpace space = SearchSpace.defaults();
        ModelFacts cuda = model.facts(21, "CUDAExecutionProvider");
        int validCount = 0;
        for (long index = 0; index < space.pointCount(); index++) {
            SpacePoint point = space.point(space.choicesAt(index), cuda);
            if (point.valid()) {
                validCount++;
                assertThat(point.config().operatorForm()).isEqualTo(OperatorForm.Standard);
            }
        }

        assertThat(validCount).isGreaterThan(100);
    }

    @Test
    void contribFusedNeedsEightBitTypes() {
        SearchSpace space = space(List.of(QuantFormat.QDQ), List.of(QuantType.QUInt8, QuantType.QUInt16),
                List.of(QuantType.QInt8, QuantType.QInt4), List.of(CalibrationMethod.MinMax), List.of(99.999));

        SpacePoint eightBit = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), facts);
        SpacePoint sixteenBitActivations = space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1), facts);
        SpacePoint fourBitWeights = space.point(List.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1), facts);
        SpacePoint sixteenBitStandard = space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts);

        assertThat(eightBit.config().operatorForm()).isEqualTo(OperatorForm.ContribFused);
        assertThat(sixteenBitActivations.valid()).isFalse();
        assertThat(sixteenBitActivations.skipReason()).contains("ContribFused needs 8-bit activations")
                .contains("QUInt16");
        assertThat(fourBitWeights.valid()).isFalse();
        assertThat(fourBitWeights.skipReason()).contains("ContribFused needs 8-bit weights").contains("QInt4");
        assertThat(sixteenBitStandard.config().operatorForm()).isEqualTo(OperatorForm.Standard);
    }

    @Test
    void contribFusedNeedsSupportingProvider() {
        SearchSpace space = SearchSpace.defaults();
        ModelFacts cuda = model.facts(21, "CUDAExecutionProvider");

        SpacePoint fused = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), cuda);
        SpacePoint standard = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), cuda);

        assertThat(fused.valid()).isFalse();
        assertThat(fused.skipReason()).contains("execution provider CUDAExecutionProvider")
                .contains("use operatorForm Standard");
        assertThat(standard.config()).isEqualTo(QuantConfig.builder().build());
    }

    @Test
    void operatorFormChoiceNeedsAQuantizedMatMul() {
        SearchSpace space = new SearchSpace(null, null, null, null, null, null, null, null,
                List.of(List.of(), List.of("Gather")), null, null, null, null);

        SpacePoint fusedMatMul = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), facts);
        SpacePoint standardGather = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0), facts);
        SpacePoint fusedGather = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1), facts);

        assertThat(fusedMatMul.config().operatorForm()).isEqualTo(OperatorForm.ContribFused);
        assertThat(standardGather.valid()).isTrue();
        assertThat(fusedGather.skipReason()).contains("no MatMul is quantized")
                .contains("same candidate as operatorForm Standard");
    }

    @Test
    void locateFindsOperatorForm() {
        SearchSpace space = SearchSpace.defaults();
        QuantConfig fused = QuantConfig.builder().operatorForm(OperatorForm.ContribFused).build();
        SearchSpace standardOnly = new SearchSpace(null, null, null, null, null, null, null, null, null, null,
                List.of(OperatorForm.Standard), null, null);

        assertThat(space.locate(fused)).contains(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        assertThat(standardOnly.locate(fused)).isEmpty();
        assertThat(standardOnly.dimensionSizes()).hasSize(11).endsWith(1);
    }

    @Test
    void spaceRoundTripsThroughJson() {
        SearchSpace space = new SearchSpace(List.of(QuantFormat.QDQ), null, List.of(QuantType.QInt4), null, null, null,
                null, List.of(99.9), List.of(List.of(), List.of("MatMul")), null,
                List.of(OperatorForm.ContribFused, OperatorForm.Standard), List.of("/a"), null);

        String json = SearchJson.write(space);
        SearchSpace reread = SearchJson.read(json, SearchSpace.class);
        SearchSpace partial = SearchJson.read("{\"formats\":[\"Dynamic\"]}", SearchSpace.class);
        SearchSpace fusedOnly = SearchJson.read("{\"operatorForms\":[\"ContribFused\"]}", SearchSpace.class);

        assertThat(reread).isEqualTo(space);
        assertThat(json).contains("\"weightTypes\" : [ \"QInt4\" ]");
        assertThat(json).contains("\"operatorForms\" : [ \"ContribFused\", \"Standard\" ]");
        assertThat(partial.formats()).containsExactly(QuantFormat.Dynamic);
        assertThat(partial.activationTypes()).isEqualTo(SearchSpace.defaults().activationTypes());
        assertThat(partial.operatorForms()).containsExactly(OperatorForm.Standard, OperatorForm.ContribFused);
        assertThat(fusedOnly.operatorForms()).containsExactly(OperatorForm.ContribFused);
    }

    @Test
    void unknownOperatorFormInJsonIsRejected() {
        assertThatThrownBy(() -> SearchJson.read("{\"operatorForms\":[\"Fused\"]}", SearchSpace.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown operator form 'Fused'");
    }

    @Test
    void emptyDimensionIsRejected() {
        assertThatThrownBy(() -> new SearchSpace(List.of(), null, null, null, null, null, null, null, null, null,
                null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'formats' is []");
    }
}
