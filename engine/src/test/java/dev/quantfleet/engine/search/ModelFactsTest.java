package dev.quantfleet.engine.search;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.OperatorForm;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.quantfleet.engine.testing.TinyModels.node;
import static dev.quantfleet.engine.testing.TinyModels.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFactsTest {

    private static float[] weights(int count) {
        Random random = new Random(42);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /**
     * {@code y = Add(MatMul(x, W), b)} in the default domain, then a com.microsoft Gelu. The
     * com.microsoft opset is imported before the default one.
     */
    private static ModelProto matMulAddGelu() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("matmul_add_gelu")
                .addInput(tensor("x", ElementType.FLOAT, "batch", 4L))
                .addInitializer(TensorCodec.fromFloats("W", new long[] {4, 3}, weights(12)))
                .addInitializer(TensorCodec.fromFloats("b", new long[] {3}, weights(3)))
                .addNode(node("MatMul", "/layer.0/MatMul", new String[] {"x", "W"}, "h"))
                .addNode(node("Add", "/layer.0/Add", new String[] {"h", "b"}, "z"))
                .addNode(node("Gelu", "/layer.0/Gelu", new String[] {"z"}, "y").toBuilder()
                        .setDomain("com.microsoft").build())
                .addOutput(tensor("y", ElementType.FLOAT, "batch", 3L))
                .build();
        return TinyModels.model(graph).toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(TinyModels.OPSET))
                .build();
    }

    @Test
    void ofReadsOpsetOpTypesAndNodeNames() {
        ModelFacts facts = ModelFacts.of(matMulAddGelu(), 21, OperatorForm.CPU_EXECUTION_PROVIDER);

        assertThat(facts.opset()).isEqualTo(17);
        assertThat(facts.maxReachableOpset()).isEqualTo(21);
        assertThat(facts.opTypesPresent()).containsExactly("Add", "MatMul");
        assertThat(facts.defaultOpTypes()).containsExactly("Gather", "Gemm", "MatMul");
        assertThat(facts.nodeNames()).containsExactly("/layer.0/MatMul", "/layer.0/Add", "/layer.0/Gelu");
        assertThat(facts.transformerLike()).isTrue();
        assertThat(facts.allows16And4Bit()).isTrue();
        assertThat(facts.executionProvider()).isEqualTo("CPUExecutionProvider");
    }

    @Test
    void ofKeepsModelOpsetWhenReachableIsLower() {
        ModelProto model = TinyModels.matMulRelu(weights(6), 2, 3);

        ModelFacts facts = ModelFacts.of(model, 13, OperatorForm.CPU_EXECUTION_PROVIDER);

        assertThat(facts.opset()).isEqualTo(TinyModels.OPSET);
        assertThat(facts.maxReachableOpset()).isEqualTo(TinyModels.OPSET);
        assertThat(facts.allows16And4Bit()).isFalse();
        assertThat(facts.opTypesPresent()).containsExactly("MatMul", "Relu");
        assertThat(facts.nodeNames()).containsExactly("matmul", "relu");
    }

    @Test
    void contribOpsFollowExecutionProvider() {
        ModelProto model = matMulAddGelu();
        ModelFacts cpu = ModelFacts.of(model, 17, OperatorForm.CPU_EXECUTION_PROVIDER);
        ModelFacts cuda = ModelFacts.of(model, 17, "CUDAExecutionProvider");

        assertThat(cpu.supportsContribOps()).isTrue();
        assertThat(cpu.supports(OperatorForm.ContribFused)).isTrue();
        assertThat(cuda.supportsContribOps()).isFalse();
        assertThat(cuda.supports(OperatorForm.ContribFused)).isFalse();
        assertThat(cuda.supports(OperatorForm.Standard)).isTrue();
    }

    @Test
    void missingExecutionProviderIsRejected() {
        assertThatThrownBy(() -> ModelFacts.of(matMulAddGelu(), 17, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("executionProvider");
    }
}
