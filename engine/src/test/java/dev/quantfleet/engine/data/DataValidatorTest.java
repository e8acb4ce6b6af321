package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataValidatorTest {

    /** Inputs x: float [?, 3, 48, ?], mask: int64 [batch, seq], ids: int64 [batch, seq], bias: optional. */
    private static final ModelProto MODEL = TinyModels.model(GraphProto.newBuilder()
            .addInput(TinyModels.tensor("x", ElementType.FLOAT, null, 3L, 48L, null))
            .addInput(TinyModels.tensor("ids", ElementType.INT64, "batch", "seq"))
            .addInput(TinyModels.tensor("mask", ElementType.INT64, "batch", "seq"))
            .addInput(TinyModels.tensor("bias", ElementType.FLOAT, 1L))
            .addInitializer(TensorCodec.fromFloats("bias", new long[] {1}, new float[] {0f}))
            .build());

    private final DataValidator validator = DataValidator.of(MODEL);

    @Test
    void acceptsFittingSample() {
        assertThat(validator.problems(sample(validInputs()))).isEmpty();
    }

    @Test
    void wrongElementTypeNamesBothTypes() {
        Map<String, TensorValue> inputs = validInputs();
        inputs.put("x", TensorValue.ofInts(new long[] {1, 3, 48, 5}, new int[3 * 48 * 5]));

        assertThatThrownBy(() -> validator.validate(sample(inputs)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("Input 'x' has element type int32 in data.npz, sample 0, but the model expects "
                        + "float [?, 3, 48, ?]. Model inputs: 'x': float [?, 3, 48, ?], 'ids': int64 [batch, seq], "
                        + "'mask': int64 [batch, seq], 'bias': float [1] (optional)");
    }

    @Test
    void reportsMissingAndExtraNames() {
        Map<String, TensorValue> inputs = validInputs();
        inputs.remove("mask");
        inputs.put("attention", TensorValue.ofLongs(new long[] {1, 7}, new long[7]));

        assertThat(validator.problems(sample(inputs))).containsExactly(
                "Input 'mask' (int64 [batch, seq]) is missing from data.npz, sample 0",
                "data.npz, sample 0 has 'attention' (int64 [1, 7]), which is not a model input");
    }

    @Test
    void optionalInputMayBeOmittedOrGiven() {
        Map<String, TensorValue> inputs = validInputs();
        inputs.put("bias", TensorValue.ofFloats(new long[] {1}, new float[] {2f}));

        assertThat(validator.problems(sample(inputs))).isEmpty();
    }

    @Test
    void wrongRankIsReported() {
        Map<String, TensorValue> inputs = validInputs();
        inputs.put("x", TensorValue.ofFloats(new long[] {3, 48}, new float[3 * 48]));

        assertThat(validator.problems(sample(inputs))).containsExactly(
                "Input 'x' has shape [3, 48] (rank 2) in data.npz, sample 0, but the model expects rank 4: "
                        + "float [?, 3, 48, ?]");
    }

    @Test
    void wrongFixedDimensionIsReported() {
        Map<String, TensorValue> inputs = validInputs();
        inputs.put("x", TensorValue.ofFloats(new long[] {1, 4, 48, 5}, new float[4 * 48 * 5]));

        assertThat(validator.problems(sample(inputs))).containsExactly(
                "Input 'x' has shape [1, 4, 48, 5] in data.npz, sample 0, but the model expects float [?, 3, 48, ?] "
                        + "(dimension 1 must be 3)");
    }

    @Test
    void conflictingSymbolicDimensionIsReported() {
        Map<String, TensorValue> inputs = validInputs();
        inputs.put("mask", TensorValue.ofLongs(new long[] {1, 8}, new long[8]));

        assertThat(validator.problems(sample(inputs))).containsExactly(
                "Inputs 'ids' and 'mask' give dimension 'seq' the sizes 7 and 8 in data.npz, sample 0; the model "
                        + "needs one size for it");
    }

    @Test
    void nanValuesAreRejected() {
        Map<String, TensorValue> inputs = validInputs();
        float[] values = new float[3 * 48 * 5];
        values[7] = Float.NaN;
        values[9] = Float.NaN;
        inputs.put("x", TensorValue.ofFloats(new long[] {1, 3, 48, 5}, values));

        assertThat(validator.problems(sample(inputs))).containsExactly("Input 'x' contains 2 NaN values in "
                + "data.npz, sample 0 (the first at element 7); the data must not contain NaN");
    }

    @Test
    void allInfiniteValuesAreRejected() {
        Map<String, TensorValue> inputs = validInputs();
        float[] values = new float[3 * 48 * 5];
        java.util.Arrays.fill(values, Float.NEGATIVE_INFINITY);
        values[0] = Float.POSITIVE_INFINITY;
        inputs.put("x", TensorValue.ofFloats(new long[] {1, 3, 48, 5}, values));

        assertThat(validator.problems(sample(inputs))).containsExactly("Input 'x' has no finite value in "
                + "data.npz, sample 0 (all 720 values are infinite); the data needs finite values");
    }

    @Test
    void singleInfinityIsAccepted() {
        Map<String, TensorValue> inputs = validInputs();
        float[] values = new float[3 * 48 * 5];
        values[3] = Float.NEGATIVE_INFINITY;
        inputs.put("x", TensorValue.ofFloats(new long[] {1, 3, 48, 5}, values));

        assertThat(validator.problems(sample(inputs))).isEmpty();
    }

    @Test
    void halfPrecisionNanIsRejected() {
        ModelProto model = TinyModels.model(GraphProto.newBuilder()
                .addInput(TinyModels.tensor("h", ElementType.FLOAT16, 2L))
                .addInput(TinyModels.tensor("b", ElementType.BFLOAT16, 2L))
                .build());
        Map<String, TensorValue> inputs = new LinkedHashMap<>();
        inputs.put("h", TensorValue.of(ElementType.FLOAT16, new long[] {2},
                java.nio.ShortBuffer.wrap(new short[] {0x3C00, 0x7E00})));
        inputs.put("b", TensorValue.of(ElementType.BFLOAT16, new long[] {2},
                java.nio.ShortBuffer.wrap(new short[] {0x7F80, (short) 0xFF80})));

        assertThat(DataValidator.of(model).problems(sample(inputs))).containsExactly(
                "Input 'h' contains 1 NaN values in data.npz, sample 0 (the first at element 1); the data must "
                        + "not contain NaN",
                "Input 'b' has no finite value in data.npz, sample 0 (all 2 values are infinite); the data "
                        + "needs finite values");
    }

    private static Map<String, TensorValue> validInputs() {
        Map<String, TensorValue> inputs = new LinkedHashMap<>();
        inputs.put("x", TensorValue.ofFloats(new long[] {1, 3, 48, 5}, new float[3 * 48 * 5]));
        inputs.put("ids", TensorValue.ofLongs(new long[] {1, 7}, new long[7]));
        inputs.put("mask", TensorValue.ofLongs(new long[] {1, 7}, new long[7]));
        return inputs;
    }

    private static Sample sample(Map<String, TensorValue> inputs) {
        return new Sample("data.npz, sample 0", inputs);
    }
}
