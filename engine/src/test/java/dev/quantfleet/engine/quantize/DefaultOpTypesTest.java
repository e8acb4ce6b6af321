package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ops.OpRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultOpTypesTest {

    private static ModelProto modelWith(String... opTypes) {
        ModelBuilder builder = new ModelBuilder(13).input("x", ElementType.FLOAT, 1).output("y", ElementType.FLOAT, 1);
        String previous = "x";
        for (int i = 0; i < opTypes.length; i++) {
            String output = i == opTypes.length - 1 ? "y" : "v" + i;
            builder.node(opTypes[i], "n" + i, List.of(previous), List.of(output));
            previous = output;
        }
        return builder.build();
    }

    @Test
    void transformerGraphsQuantizeMatrixProductsAndGather() {
        ModelProto model = modelWith("MatMul", "Add", "Mul", "Softmax");

        assertThat(DefaultOpTypes.forModel(model, QuantFormat.QDQ)).containsExactly("Gather", "Gemm", "MatMul");
    }

    @Test
    void convolutionalGraphsKeepAddAndMulInFloat() {
        Set<String> expected = new TreeSet<>(OpRegistry.standard().opTypes());
        expected.removeAll(List.of("Add", "Mul"));

        assertThat(DefaultOpTypes.forModel(modelWith("Conv", "Add", "Relu"), QuantFormat.QDQ)).isEqualTo(expected);
        assertThat(DefaultOpTypes.forModel(modelWith("Conv", "MatMul", "Mul"), QuantFormat.QDQ))
                .as("convolutions with attention blocks").isEqualTo(expected);
        assertThat(DefaultOpTypes.forModel(modelWith("ConvTranspose"), QuantFormat.QDQ)).isEqualTo(expected);
        assertThat(expected).contains("Conv", "MatMul", "Concat", "Softmax", "MaxPool");
    }

    @Test
    void otherGraphsQuantizeEveryHandledOp() {
        assertThat(DefaultOpTypes.forModel(modelWith("Add", "Relu"), QuantFormat.QDQ))
                .isEqualTo(OpRegistry.standard().opTypes());
    }

    @Test
    void dynamicFormatQuantizesMatMulAndGather() {
        assertThat(DefaultOpTypes.forModel(modelWith("Conv"), QuantFormat.Dynamic)).containsExactly("Gather", "MatMul");
    }

    @Test
    void explicitOpTypesWin() {
        QuantConfig config = Presets.byName("a8w8").toBuilder().opTypesToQuantize(List.of("Conv")).build();

        assertThat(DefaultOpTypes.resolve(modelWith("MatMul"), config)).containsExactly("Conv");
    }
}
