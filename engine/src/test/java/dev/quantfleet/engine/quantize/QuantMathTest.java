package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QuantMathTest {

    private static final float[][] RANGES = {
        {-1.5f, 2.25f}, {0.3f, 7f}, {-9f, -0.01f}, {-0.001f, 0.002f}, {-1000f, 5f}, {0f, 0f}, {3f, 3f}, {-4f, -4f}
    };

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"UINT8", "INT8", "UINT16", "INT16", "UINT4", "INT4"})
    void zeroIsExactlyRepresentable(ElementType type) {
        for (boolean symmetric : new boolean[] {false, true}) {
            for (float[] range : RANGES) {
                QuantParameters parameters = QuantMath.parameters(range[0], range[1], type, symmetric);
                long zero = QuantMath.quantize(0f, parameters.scale(), parameters.zeroPoint(), type);

                assertThat(zero).as("q(0) for %s %s", type, java.util.Arrays.toString(range))
                        .isEqualTo(parameters.zeroPoint());
                assertThat(QuantMath.dequantize(zero, parameters.scale(), parameters.zeroPoint())).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"UINT8", "INT8", "UINT16", "INT16", "UINT4", "INT4"})
    void zeroPointStaysWithinTypeRange(ElementType type) {
        for (float[] range : RANGES) {
            QuantParameters parameters = QuantMath.parameters(range[0], range[1], type, false);

            assertThat(parameters.zeroPoint()).isBetween(type.minValue(), type.maxValue());
        }
    }

    @Test
    void asymmetricRangeCoversMinAndMax() {
        QuantParameters parameters = QuantMath.parameters(-1.5f, 2.25f, ElementType.UINT8, false);

        assertThat(parameters.scale()).isCloseTo(3.75f / 255, within(1e-9f));
        assertThat(parameters.zeroPoint()).isEqualTo(Math.round(1.5 / (3.75 / 255)));
        assertThat(QuantMath.quantize(-1.5f, parameters.scale(), parameters.zeroPoint(), ElementType.UINT8)).isZero();
        assertThat(QuantMath.quantize(2.25f, parameters.scale(), parameters.zeroPoint(), ElementType.UINT8)).isEqualTo(255);
    }

    @Test
    void rangeIsWidenedToIncludeZero() {
        QuantParameters positive = QuantMath.parameters(2f, 4f, ElementType.UINT8, false);
        QuantParameters negative = QuantMath.parameters(-4f, -2f, ElementType.UINT8, false);

        assertThat(positive.zeroPoint()).isZero();
        assertThat(positive.scale()).isEqualTo(4f / 255);
        assertThat(negative.zeroPoint()).isEqualTo(255);
        assertThat(negative.scale()).isEqualTo(4f / 255);
    }

    @Test
    void symmetricSignedTypesHaveZeroPointZero() {
        for (ElementType type : new ElementType[] {ElementType.INT8, ElementType.INT16, ElementType.INT4}) {
            QuantParameters parameters = QuantMath.parameters(-0.5f, 2f, type, true);

            assertThat(parameters.zeroPoint()).as("zero point of %s", type).isZero();
            assertThat(parameters.scale()).as("scale of %s", type).isEqualTo((float) (2.0 / type.maxValue()));
        }
    }

    @Test
    void symmetricUnsignedTypesUseTheMidpoint() {
        assertThat(QuantMath.parameters(-1f, 1f, ElementType.UINT8, true).zeroPoint()).isEqualTo(128);
        assertThat(QuantMath.parameters(-1f, 1f, ElementType.UINT16, true).zeroPoint()).isEqualTo(32768);
        assertThat(QuantMath.parameters(-1f, 1f, ElementType.UINT4, true).zeroPoint()).isEqualTo(8);
        assertThat(QuantMath.parameters(-1f, 1f, ElementType.UINT8, true).scale()).isEqualTo(1f / 127);
    }

    @Test
    void roundsHalfToEven() {
        float[] ties = {0.5f, 1.5f, 2.5f, 3.5f, -0.5f, -1.5f, -2.5f};
        long[] expected = {0, 2, 2, 4, 0, -2, -2};

        for (int i = 0; i < ties.length; i++) {
            assertThat(QuantMath.quantize(ties[i], 1f, 0, ElementType.INT8)).as("q(%s)", ties[i]).isEqualTo(expected[i]);
        }
        assertThat(QuantMath.quantize(0.5f, 1f, 10, ElementType.UINT8)).isEqualTo(10);
        assertThat(QuantMath.quantize(1.5f, 1f, 10, ElementType.UINT8)).isEqualTo(12);
    }

    @Test
    void saturatesToTypeRange() {
        assertThat(QuantMath.quantize(1e6f, 0.1f, 0, ElementType.INT8)).isEqualTo(127);
        assertThat(QuantMath.quantize(-1e6f, 0.1f, 0, ElementType.INT8)).isEqualTo(-128);
        assertThat(QuantMath.quantize(-1f, 0.1f, 0, ElementType.UINT8)).isZero();
        assertThat(QuantMath.quantize(Float.POSITIVE_INFINITY, 0.1f, 3, ElementType.UINT4)).isEqualTo(15);
        assertThat(QuantMath.quantize(-50f, 1f, 0, ElementType.INT4)).isEqualTo(-8);
        assertThat(QuantMath.quantize(1e9f, 1f, 0, ElementType.UINT16)).isEqualTo(65535);
    }

    @Test
    void degenerateRangesGiveValidScales() {
        QuantParameters zeros = QuantMath.parameters(0f, 0f, ElementType.UINT8, false);
        QuantParameters constant = QuantMath.parameters(3f, 3f, ElementType.INT8, true);
        QuantParameters tiny = QuantMath.parameters(-1e-42f, 1e-41f, ElementType.UINT8, false);
        QuantParameters tinySymmetric = QuantMath.parameters(0f, Float.MIN_VALUE, ElementType.INT8, true);

        assertThat(zeros.scale()).isEqualTo(1f);
        assertThat(zeros.zeroPoint()).isZero();
        assertThat(constant.scale()).isEqualTo(3f / 127);
        assertThat(QuantMath.quantize(3f, constant.scale(), 0, ElementType.INT8)).isEqualTo(127);
        for (QuantParameters parameters : new QuantParameters[] {tiny, tinySymmetric}) {
            assertThat(parameters.scale()).isPositive().isEqualTo(QuantMath.MIN_SCALE);
            assertThat(Float.isFinite(parameters.scale())).isTrue();
        }
        assertThat(QuantMath.weightParameters(new float[16], new long[] {4, 4}, ElementType.INT8, true, 0).scales())
                .containsOnly(1f);
    }

    @Test
    void rejectsNonFiniteRanges() {
        assertThatThrownBy(() -> QuantMath.parameters(Float.NaN, 1f, ElementType.UINT8, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> QuantMath.parameters(0f, Float.POSITIVE_INFINITY, ElementType.UINT8, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> QuantMath.parameters(2f, 1f, ElementType.UINT8, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greater than its maximum");
        assertThatThrownBy(() -> QuantMath.range(new float[] {1f, Float.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    }

    @Test
    void roundTripErrorIsAtMostHalfAStep() {
        Random random = new Random(7);
        float[] values = ModelBuilder.randomFloats(random, 1000, 3f);
        float[] range = QuantMath.range(values);
        QuantParameters parameters = QuantMath.parameters(range[0], range[1], ElementType.UINT8, false);

        float[] restored = QuantMath.dequantize(QuantMath.quantize(values, new long[] {1000}, parameters),
                new long[] {1000}, parameters);

        for (int i = 0; i < values.length; i++) {
            assertThat(Math.abs(restored[i] - values[i])).isLessThanOrEqualTo(parameters.scale() * 0.5f + 1e-6f);
        }
    }

    @Test
    void perChannelParametersFollowTheAxis() {
        float[] values = {
            1f, -2f, 0.5f,
            10f, 20f, -40f
        };
        long[] dims = {2, 3};

        QuantParameters rows = QuantMath.weightParameters(values, dims, ElementType.INT8, true, 0);
        QuantParameters columns = QuantMath.weightParameters(values, dims, ElementType.INT8, true, 1);

        assertThat(rows.axis()).isZero();
        assertThat(rows.scales()).containsExactly(2f / 127, 40f / 127);
        assertThat(columns.axis()).isEqualTo(1);
        assertThat(columns.scales()).containsExactly(10f / 127, 20f / 127, 40f / 127);
        assertThat(QuantMath.quantize(values, dims, rows)).containsExactly(64, -127, 32, 32, 64, -127);
        assertThat(QuantMath.quantize(values, dims, columns)).containsExactly(13, -13, 2, 127, 127, -127);
    }

    @Test
    void perChannelRejectsMismatchedAxisLength() {
        QuantParameters parameters = QuantParameters.perChannel(ElementType.INT8, 1, new float[] {1f, 1f},
                new long[] {0, 0});

        assertThatThrownBy(() -> QuantMath.quantize(new float[6], new long[] {2, 3}, parameters))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Axis 1 has length 3");
    }

    @Test
    void biasScaleIsProductOfScales() {
        QuantParameters weight = QuantParameters.perChannel(ElementType.INT8, 0, new float[] {0.5f, 0.25f},
                new long[] {0, 0});

        QuantMath.BiasQuantization bias = QuantMath.quantizeBias(new float[] {1f, -3f}, 0.1f, weight);

        assertThat(bias.scales()).containsExactly(0.1f * 0.5f, 0.1f * 0.25f);
        assertThat(bias.values()).containsExactly(20, -120);
        assertThat(bias.widenedChannelCount()).isZero();
        assertThat(bias.weight()).isEqualTo(weight);
    }

    @Test
    void biasOverflowWidensThatChannelsWeightScale() {
        QuantParameters weight = QuantParameters.perChannel(ElementType.INT8, 0, new float[] {1e-6f, 1e-6f},
                new long[] {0, 0});

        QuantMath.BiasQuantization bias = QuantMath.quantizeBias(new float[] {1e6f, 1e-3f}, 1e-6f, weight);

        assertThat(bias.widenedChannelCount()).isEqualTo(1);
        assertThat(bias.weight().scale(0)).isGreaterThan(1e-6f);
        assertThat(bias.weight().scale(1)).isEqualTo(1e-6f);
        assertThat(Math.abs(bias.values()[0])).isLessThanOrEqualTo(Integer.MAX_VALUE);
        assertThat(bias.values()[0] * (double) bias.scales()[0]).isCloseTo(1e6, within(1e6 * 1e-6));
        assertThat(bias.scales()[0]).isEqualTo(1e-6f * bias.weight().scale(0));
    }

    @Test
    void fourBitValuesPackTwoPerByte() {
        QuantParameters parameters = QuantMath.parameters(-8f, 7f, ElementType.INT4, false);
        long[] quantized = QuantMath.quantize(new float[] {-8f, 7f, 0f}, new long[] {3}, parameters);

        TensorProto tensor = TensorCodec.fromLongs("w", new long[] {3}, ElementType.INT4, quantized);

        assertThat(tensor.getRawData().size()).isEqualTo(2);
        assertThat(TensorCodec.toLongs(tensor)).containsExactly(quantized);
    }
}
