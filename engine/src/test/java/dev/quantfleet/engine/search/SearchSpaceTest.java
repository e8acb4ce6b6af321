package dev.quantfleet.engine.search;

import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.quantize.NodeOverride;
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
                percentiles, null, List.of(true, false), null, null);
    }

    @Test
    void validPointBuildsTheConfigOfItsChoices() {
        SearchSpace space = SearchSpace.defaults();

        SpacePoint point = space.point(List.of(0, 0, 2, 1, 0, 0, 1, 2, 0, 0), facts);

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

        SpacePoint minMaxOther = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 1, 0, 0), facts);
        SpacePoint minMaxFirst = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts);
        SpacePoint percentileOther = space.point(List.of(0, 0, 0, 0, 0, 0, 1, 1, 0, 0), facts);

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

        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts).valid()).isTrue();
        assertThat(space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0), facts).skipReason()).contains("QUInt8");
        assertThat(space.point(List.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 0), facts).skipReason()).contains("8-bit weights");
        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 1, 0, 0, 0), facts).skipReason()).contains("MinMax");
    }

    @Test
    void sixteenAndFourBitNeedOpset21() {
        SearchSpace space = space(List.of(QuantFormat.QDQ), List.of(QuantType.QUInt8, QuantType.QUInt16),
                List.of(QuantType.QInt8, QuantType.QInt4), List.of(CalibrationMethod.MinMax), List.of(99.999));
        ModelFacts opset17 = model.facts(17);

        assertThat(space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0), opset17).skipReason()).contains("needs opset 21");
        assertThat(space.point(List.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 0), opset17).skipReason()).contains("needs opset 21");
        assertThat(space.point(List.of(0, 1, 1, 0, 0, 0, 0, 0, 0, 0), facts).valid()).isTrue();
    }

    @Test
    void embeddingsChoiceNeedsAQuantizedGather() {
        SearchSpace space = new SearchSpace(null, null, null, null, null, null, null, null,
                List.of(List.of(), List.of("MatMul")), List.of(true, false), null, null);

        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1), facts).valid()).isTrue();
        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 0), facts).valid()).isTrue();
        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1), facts).skipReason())
                .contains("no Gather is quantized");
    }

    @Test
    void opTypesAbsentFromModelAreSkipped() {
        SearchSpace space = new SearchSpace(null, null, null, null, null, null, null, null,
                List.of(List.of("Conv")), null, null, null);

        assertThat(space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), facts).skipReason())
                .contains("none of the op types to quantize [Conv]");
    }

    @Test
    void nodePrecisionRules() {
        SearchSpace space = space(List.of(QuantFormat.QDQ, QuantFormat.Dynamic),
                List.of(QuantType.QUInt8, QuantType.QUInt16), List.of(QuantType.QInt8), List.of(CalibrationMethod.MinMax),
                List.of(99.999)).withPrecisionNodes(List.of(FakeModel.SENSITIVE_NODE));

        SpacePoint sixteenBit = space.point(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), facts);
        SpacePoint dynamicSixteenBit = space.point(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), facts);
        SpacePoint alreadySixteenBit = space.point(List.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2), facts);
        SpacePoint keptFloat = space.point(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), facts);

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

        assertThat(space.pointCount()).isEqualTo(3456);
        assertThat(valid).hasSizeGreaterThan(100);
        assertThat(ids).hasSize(valid.size());
        for (SpacePoint point : valid) {
            assertThat(space.locate(point.config())).contains(point.choices());
        }
    }

    @Test
    void spaceRoundTripsThroughJson() {
        SearchSpace space = new SearchSpace(List.of(QuantFormat.QDQ), null, List.of(QuantType.QInt4), null, null, null,
                null, List.of(99.9), List.of(List.of(), List.of("MatMul")), null, List.of("/a"), null);

        String json = SearchJson.write(space);
        SearchSpace reread = SearchJson.read(json, SearchSpace.class);
        SearchSpace partial = SearchJson.read("{\"formats\":[\"Dynamic\"]}", SearchSpace.class);

        assertThat(reread).isEqualTo(space);
        assertThat(json).contains("\"weightTypes\" : [ \"QInt4\" ]");
        assertThat(partial.formats()).containsExactly(QuantFormat.Dynamic);
        assertThat(partial.activationTypes()).isEqualTo(SearchSpace.defaults().activationTypes());
    }

    @Test
    void emptyDimensionIsRejected() {
        assertThatThrownBy(() -> new SearchSpace(List.of(), null, null, null, null, null, null, null, null, null,
                null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'formats' is []");
    }
}
