package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.quantize.OrtRunner.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quantfleet.engine.quantize.ModelBuilder.randomFloats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ContribFused operator form on tiny seeded MatMul + bias Add models, in QDQ and Dynamic
 * format: which nodes, domains, inputs and opset imports are written, and the ONNX Runtime output
 * against the float model and against the Standard form. Errors are the largest absolute
 * difference relative to the largest magnitude of the reference output, on a calibration sample.
 */
class ContribFusedTest {

    /** Tolerance against fp32 of 8-bit activations and weights on these small layers. */
    private static final double INT8_TOLERANCE = 0.05;
    /**
     * Tolerance against the Standard form. Both forms multiply the same integers, so they differ
     * only by float rounding order and, in Dynamic format, by how each kernel rounds A.
     */
    private static final double FORM_TOLERANCE = 1e-3;

    private static final QuantConfig A8W8 = Presets.byName("a8w8");
    private static final QuantConfig A8W8_FUSED = A8W8.toBuilder().operatorForm(OperatorForm.ContribFused).build();
    private static final QuantConfig DYNAMIC = Presets.byName("dynamic-int8");
    private static final QuantConfig DYNAMIC_FUSED = DYNAMIC.toBuilder().operatorForm(OperatorForm.ContribFused).build();

    /** x [2, 3, 8] - MatMul(w [8, 4] per-column magnitudes) - Add(b, y) - z, with the bias as the first Add input. */
    private static ModelProto matMulWithBias(Random random) {
        float[] weight = randomFloats(random, 32, 1f);
        for (int i = 0; i < weight.length; i++) {
            weight[i] *= 1 + (i % 4) * 3;
        }
        return new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 3, 8)
                .output("z", ElementType.FLOAT, 2, 3, 4)
                .floats("w", new long[] {8, 4}, weight)
                .floats("b", new long[] {4}, new float[] {0.5f, -1f, 2f, 0.25f})
                .node("MatMul", "matmul", List.of("x", "w"), List.of("y"))
                .node("Add", "bias_add", List.of("b", "y"), List.of("z"))
                .build();
    }

    @Test
    void qdqBiasMatMulIsFused() {
        Random random = new Random(11);
        ModelProto model = matMulWithBias(random);
        List<Map<String, Tensor>> samples = QdqRewriteTest.samples(random, "x", 4, 2, 3, 8);
        ActivationRanges ranges = QdqTestSupport.measureRanges(model, samples);

        QuantizationResult fused = QdqQuantizer.quantize(model, A8W8_FUSED, ranges);
        QuantizationResult standard = QdqQuantizer.quantize(model, A8W8, ranges);

        GraphQueries graph = GraphQueries.of(fused.model());
        assertThat(graph.nodes("MatMul")).isEmpty();
        assertThat(graph.nodes("Add")).isEmpty();
        assertThat(graph.nodes("DequantizeLinear")).as("no reader is left for the DequantizeLinear nodes").isEmpty();
        NodeProto node = graph.nodes("MatMulIntegerToFloat").get(0);
        assertThat(node.getDomain()).isEqualTo("com.microsoft");
        assertThat(node.getInputList()).containsExactly("x_quantized", "w_quantized", "x_scale", "w_scale",
                "x_zero_point", "w_zero_point", "b");
        assertThat(node.getOutputList()).containsExactly("z");
        assertThat(graph.producer("x_quantized").getOpType()).isEqualTo("QuantizeLinear");
        assertThat(graph.initializerType("x_zero_point")).isEqualTo(ElementType.UINT8);
        assertThat(graph.initializerType("w_quantized")).isEqualTo(ElementType.INT8);
        assertThat(graph.floats("w_scale")).as("per-column weight scales").hasSize(4);
        assertThat(graph.longs("w_zero_point")).containsOnly(0L).hasSize(4);
        assertThat(fused.model().getOpsetImportList()).contains(microsoftOpset());
        assertThat(standard.model().getOpsetImportList()).doesNotContain(microsoftOpset());
        assertThat(fused.summary().quantized()).singleElement().satisfies(entry -> assertThat(entry.notes())
                .containsExactly("operator form ContribFused: com.microsoft MatMulIntegerToFloat "
                        + "'matmul_MatMulIntegerToFloat' with the bias of Add 'bias_add'"));

        Map<String, Tensor> inputs = samples.get(0);
        assertThat(QdqTestSupport.outputError(model, fused.model(), inputs, "z")).isLessThan(INT8_TOLERANCE);
        assertThat(QdqTestSupport.outputError(standard.model(), fused.model(), inputs, "z")).isLessThan(FORM_TOLERANCE);
    }

    @Test
    void dynamicBiasMatMulIsFused() {
        Random random = new Random(12);
        ModelProto model = matMulWithBias(random);
        Map<String, Tensor> inputs = QdqRewriteTest.samples(random, "x", 1, 2, 3, 8).get(0);

        QuantizationResult fused = QdqQuantizer.quantize(model, DYNAMIC_FUSED, ActivationRanges.none());
        QuantizationResult standard = QdqQuantizer.quantize(model, DYNAMIC, ActivationRanges.none());

        GraphQueries graph = GraphQueries.of(fused.model());
        assertThat(graph.nodes("MatMul")).isEmpty();
        assertThat(graph.nodes("Add")).isEmpty();
        assertThat(graph.nodes("DynamicQuantizeLinear")).isEmpty();
        assertThat(graph.nodes("MatMulInteger")).isEmpty();
        NodeProto node = graph.nodes("DynamicQuantizeMatMul").get(0);
        assertThat(node.getDomain()).isEqualTo("com.microsoft");
        assertThat(node.getInputList()).containsExactly("x", "w_quantized", "w_scale", "w_zero_point", "b");
        assertThat(node.getOutputList()).containsExactly("z");
        assertThat(graph.initializerType("w_quantized")).isEqualTo(ElementType.INT8);
        assertThat(graph.floats("w_scale")).as("per-column weight scales").hasSize(4);
        assertThat(graph.hasInitializer("w")).as("float weight removed").isFalse();
        assertThat(fused.model().getOpsetImportList()).contains(microsoftOpset());
        assertThat(fused.summary().quantized()).singleElement().satisfies(entry -> assertThat(entry.notes())
                .containsExactly("operator form ContribFused: com.microsoft DynamicQuantizeMatMul "
                        + "'matmul_DynamicQuantizeMatMul' with the bias of Add 'bias_add'"));

        assertThat(QdqTestSupport.outputError(model, fused.model(), inputs, "z")).isLessThan(INT8_TOLERANCE);
        assertThat(QdqTestSupport.outputError(standard.model(), fused.model(), inputs, "z")).isLessThan(FORM_TOLERANCE);
    }

    /**
     * x feeds a MatMul with a bias Add (fused) and a MatMul into Relu (no bias); a third MatMul
     * multiplies two activations. Only the first is fused, and the DequantizeLinear of x stays for
     * the second.
     */
    @Test
    void nonMatchingMatMulsKeepStandardForm() {
        Random random = new Random(13);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 3, 6)
                .output("z", ElementType.FLOAT, 3, 6)
                .output("r", ElementType.FLOAT, 3, 6)
                .output("p", ElementType.FLOAT, 3, 3)
                .floats("w1", new long[] {6, 6}, randomFloats(random, 36, 1f))
                .floats("w2", new long[] {6, 6}, randomFloats(random, 36, 1f))
                .floats("b", new long[] {6}, randomFloats(random, 6, 0.5f))
                .node("MatMul", "with_bias", List.of("x", "w1"), List.of("y"))
                .node("Add", "bias_add", List.of("y", "b"), List.of("z"))
                .node("MatMul", "without_bias", List.of("x", "w2"), List.of("h"))
                .node("Relu", "relu", List.of("h"), List.of("r"))
                .node("Transpose", "transpose", List.of("z"), List.of("zt"))
                .node("MatMul", "activations", List.of("r", "zt"), List.of("p"))
                .build();
        List<Map<String, Tensor>> samples = QdqRewriteTest.samples(random, "x", 4, 3, 6);
        ActivationRanges ranges = QdqTestSupport.measureRanges(model, samples);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8_FUSED, ranges);

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.nodes("MatMulIntegerToFloat")).singleElement()
                .satisfies(node -> assertThat(node.getOutputList()).containsExactly("z"));
        NodeProto withoutBias = graph.node("without_bias");
        assertThat(graph.dequantizerOf(withoutBias, 0).getInput(0)).as("x keeps its DequantizeLinear")
                .isEqualTo("x_quantized");
        assertThat(graph.dequantizerOf(graph.node("activations"), 1).getOpType()).isEqualTo("DequantizeLinear");
        assertThat(notes(result, "without_bias")).containsExactly("operator form Standard: MatMul output 'h' is read "
                + "by Relu 'relu', not by an Add of a bias");
        assertThat(notes(result, "activations")).containsExactly("operator form Standard: input B is not a constant "
                + "2-D 8-bit weight");

        Map<String, Tensor> inputs = samples.get(0);
        for (String output : List.of("z", "r", "p")) {
            assertThat(QdqTestSupport.outputError(model, result.model(), inputs, output)).as(output)
                    .isLessThan(INT8_TOLERANCE);
        }
    }

    @Test
    void noMatchLeavesTheStandardModel() {
        Random random = new Random(14);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 3, 6)
                .output("r", ElementType.FLOAT, 3, 4)
                .floats("w", new long[] {6, 4}, randomFloats(random, 24, 1f))
                .node("MatMul", "matmul", List.of("x", "w"), List.of("h"))
                .node("Relu", "relu", List.of("h"), List.of("r"))
                .build();
        ActivationRanges ranges = QdqTestSupport.measureRanges(model, QdqRewriteTest.samples(random, "x", 4, 3, 6));

        ModelProto fused = QdqQuantizer.quantize(model, A8W8_FUSED, ranges).model();
        ModelProto dynamicFused = QdqQuantizer.quantize(model, DYNAMIC_FUSED, ActivationRanges.none()).model();

        assertThat(fused).isEqualTo(QdqQuantizer.quantize(model, A8W8, ranges).model());
        assertThat(dynamicFused).isEqualTo(QdqQuantizer.quantize(model, DYNAMIC, ActivationRanges.none()).model());
        assertThat(fused.getOpsetImportList()).doesNotContain(microsoftOpset());
    }

    @Test
    void eightBitTypePairsWithKernelsAreFused() {
        for (QuantType activationType : List.of(QuantType.QUInt8, QuantType.QInt8)) {
            for (QuantType weightType : List.of(QuantType.QUInt8, QuantType.QInt8)) {
                Random random = new Random(15);
                ModelProto model = matMulWithBias(random);
                List<Map<String, Tensor>> samples = QdqRewriteTest.samples(random, "x", 4, 2, 3, 8);
                ActivationRanges ranges = QdqTestSupport.measureRanges(model, samples);
                QuantConfig standard = A8W8.toBuilder().activationType(activationType).weightType(weightType).build();
                QuantConfig fused = standard.toBuilder().operatorForm(OperatorForm.ContribFused).build();
                String pair = activationType + " x " + weightType;

                QuantizationResult fusedResult = QdqQuantizer.quantize(model, fused, ranges);
                ModelProto fusedModel = fusedResult.model();
                ModelProto standardModel = QdqQuantizer.quantize(model, standard, ranges).model();

                GraphQueries graph = GraphQueries.of(fusedModel);
                boolean hasKernel = activationType == QuantType.QUInt8 || weightType == QuantType.QInt8;
                assertThat(graph.nodes("MatMulIntegerToFloat")).as(pair).hasSize(hasKernel ? 1 : 0);
                assertThat(graph.nodes("MatMul")).as(pair).hasSize(hasKernel ? 0 : 1);
                if (!hasKernel) {
                    assertThat(notes(fusedResult, "matmul")).containsExactly("operator form Standard: input A is "
                            + "int8 and the weight uint8, a pair for which ONNX Runtime 1.29 has no CPU kernel of "
                            + "MatMulIntegerToFloat");
                }
                assertThat(graph.initializerType("x_zero_point")).as(pair).isEqualTo(activationType.elementType());
                assertThat(graph.initializerType("w_quantized")).as(pair).isEqualTo(weightType.elementType());
                Map<String, Tensor> inputs = samples.get(0);
                assertThat(QdqTestSupport.outputError(model, fusedModel, inputs, "z")).as(pair)
                        .isLessThan(INT8_TOLERANCE);
                assertThat(QdqTestSupport.outputError(standardModel, fusedModel, inputs, "z")).as(pair)
                        .isLessThan(FORM_TOLERANCE);
            }
        }
    }

    private static List<String> notes(QuantizationResult result, String nodeName) {
        return result.summary().quantized().stream().filter(entry -> entry.node().name().equals(nodeName))
                .findFirst().orElseThrow().notes();
    }

    private static OperatorSetIdProto microsoftOpset() {
        return OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1).build();
    }
}
