package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.OrtRunner.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that offline quantization gives the same bits as ONNX Runtime's QuantizeLinear on the
 * same values, scale and zero point: opset 13 for 8-bit types, opset 21 for 16-bit and 4-bit.
 */
class QuantMathOrtTest {

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"UINT8", "INT8", "UINT16", "INT16", "UINT4", "INT4"})
    void perTensorMatchesOrtBitForBit(ElementType type) {
        float[] values = testValues(new Random(11), type);
        for (boolean symmetric : new boolean[] {false, true}) {
            QuantParameters parameters = QuantMath.parameters(-2.3f, 1.7f, type, symmetric);

            long[] ours = QuantMath.quantize(values, new long[] {values.length}, parameters);
            long[] ort = runQuantizeLinear(values, new long[] {values.length}, parameters);

            assertThat(ours).as("%s symmetric=%s with %s", type, symmetric, parameters).containsExactly(ort);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"UINT8", "INT8", "UINT16", "INT16", "UINT4", "INT4"})
    void tiesRoundHalfToEvenLikeOrt(ElementType type) {
        float scale = 0.25f;
        long zeroPoint = type.minValue() < 0 ? 0 : (type.maxValue() + 1) / 2;
        List<Float> ties = new ArrayList<>();
        for (int k = -9; k <= 9; k++) {
            ties.add((k + 0.5f) * scale);
        }
        float[] values = new float[ties.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ties.get(i);
        }
        QuantParameters parameters = QuantParameters.perTensor(type, scale, zeroPoint);

        long[] ours = QuantMath.quantize(values, new long[] {values.length}, parameters);
        long[] ort = runQuantizeLinear(values, new long[] {values.length}, parameters);

        assertThat(ours).containsExactly(ort);
        assertThat(ours[9] - zeroPoint).as("0.5 rounds to 0").isZero();
        assertThat(ours[10] - zeroPoint).as("1.5 rounds to 2").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"UINT8", "INT8", "UINT16", "INT16", "UINT4", "INT4"})
    void perChannelMatchesOrtBitForBit(ElementType type) {
        Random random = new Random(5);
        long[] dims = {3, 4, 2};
        float[] values = ModelBuilder.randomFloats(random, 24, 1.5f);
        for (int axis = 0; axis < dims.length; axis++) {
            QuantParameters parameters = QuantMath.weightParameters(values, dims, type, type.minValue() < 0, axis);

            long[] ours = QuantMath.quantize(values, dims, parameters);
            long[] ort = runQuantizeLinear(values, dims, parameters);

            assertThat(ours).as("axis %d", axis).containsExactly(ort);
        }
    }

    /** Random values, values beyond the range that saturate, exact multiples of the scale and 0. */
    private static float[] testValues(Random random, ElementType type) {
        float[] values = ModelBuilder.randomFloats(random, 500, 2.5f);
        values[0] = 0f;
        values[1] = 1e4f;
        values[2] = -1e4f;
        values[3] = -0f;
        values[4] = Float.MIN_VALUE;
        return values;
    }

    private static long[] runQuantizeLinear(float[] values, long[] dims, QuantParameters parameters) {
        ElementType type = parameters.type();
        int opset = type.bits() == 8 ? 13 : 21;
        long[] parameterDims = parameters.isPerChannel() ? new long[] {parameters.channelCount()} : new long[0];
        ModelBuilder builder = new ModelBuilder(opset)
                .input("x", ElementType.FLOAT, dims)
                .output("y", ElementType.INT32, dims)
                .floats("scale", parameterDims, parameters.scales())
                .initializer(TensorCodec.fromLongs("zero_point", parameterDims, type, parameters.zeroPoints()));
        AttributeProto[] attributes = parameters.isPerChannel()
                ? new AttributeProto[] {ModelBuilder.intAttribute("axis", parameters.axis())}
                : new AttributeProto[0];
        builder.node("QuantizeLinear", "quantize", List.of("x", "scale", "zero_point"), List.of("q"), attributes);
        builder.node("Cast", "widen", List.of("q"), List.of("y"), ModelBuilder.intAttribute("to", ElementType.INT32.code()));
        ModelProto model = builder.build();

        Map<String, Tensor> outputs = OrtRunner.run(model, Map.of("x", Tensor.ofFloats(values, dims)));
        return outputs.get("y").longs();
    }
}
