package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.OrtRunner.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quantfleet.engine.quantize.ModelBuilder.intAttribute;
import static dev.quantfleet.engine.quantize.ModelBuilder.intsAttribute;
import static dev.quantfleet.engine.quantize.ModelBuilder.randomFloats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tiny seeded model per rewrite case of the QDQ quantizer, each checked for structure
 * (which Q/DQ nodes, element types, axes, zero points) and for numbers. The numbers compare the
 * quantized model's ONNX Runtime output with the float model's, as the largest absolute
 * difference relative to the largest output magnitude. Outputs are compared on a calibration sample, so that no value
 * leaves its calibrated range and saturates.
 */
class QdqRewriteTest {

    /** Tolerance of 8-bit activations and weights on these small layers. */
    private static final double INT8_TOLERANCE = 0.05;

    private static final QuantConfig A8W8 = Presets.byName("a8w8");

    @Test
    void convWithBiasPerChannel() {
        Random random = new Random(1);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 1, 3, 8, 8)
                .output("y", ElementType.FLOAT, 1, 4, 8, 8)
                .floats("w", new long[] {4, 3, 3, 3}, scaledRows(random, 4, 27))
                .floats("b", new long[] {4}, new float[] {0.5f, -0.25f, 0.1f, 2f})
                .node("Conv", "conv", List.of("x", "w", "b"), List.of("features"), intsAttribute("pads", 1, 1, 1, 1))
                .node("Relu", "relu", List.of("features"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 1, 3, 8, 8);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto conv = graph.node("conv");
        NodeProto input = graph.dequantizerOf(conv, 0);
        NodeProto weight = graph.dequantizerOf(conv, 1);
        NodeProto bias = graph.dequantizerOf(conv, 2);
        assertThat(graph.producer(input.getInput(0)).getOpType()).isEqualTo("QuantizeLinear");
        assertThat(graph.initializerType(input.getInput(2))).isEqualTo(ElementType.UINT8);
        assertThat(graph.initializerType(weight.getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(GraphQueries.intAttribute(weight, "axis")).hasValue(0);
        assertThat(graph.longs(weight.getInput(2))).containsOnly(0L).hasSize(4);
        assertThat(graph.initializerType(bias.getInput(0))).isEqualTo(ElementType.INT32);
        assertThat(GraphQueries.intAttribute(bias, "axis")).hasValue(0);
        assertThat(graph.longs(bias.getInput(2))).containsOnly(0L).hasSize(4);
        float inputScale = graph.floats(input.getInput(1))[0];
        float[] weightScales = graph.floats(weight.getInput(1));
        float[] biasScales = graph.floats(bias.getInput(1));
        for (int c = 0; c < 4; c++) {
            assertThat(biasScales[c]).as("bias scale of channel %d", c).isEqualTo(inputScale * weightScales[c]);
        }
        NodeProto outputDequantize = graph.producer("features");
        assertThat(outputDequantize.getOpType()).isEqualTo("DequantizeLinear");
        assertThat(graph.producer(outputDequantize.getInput(0)).getOpType()).isEqualTo("QuantizeLinear");
        assertThat(graph.producer(graph.producer(outputDequantize.getInput(0)).getInput(0)).getName()).isEqualTo("conv");
        assertThat(graph.hasInitializer("w")).as("float weight removed").isFalse();
        assertThat(graph.hasInitializer("b")).as("float bias removed").isFalse();
        assertThat(result.summary().quantizedWeightCount()).isEqualTo(1);
        assertThat(result.summary().quantizedBiasCount()).isEqualTo(1);
        assertThat(result.summary().quantized()).extracting(node -> node.node().name()).containsExactly("conv");
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y"))
                .isLessThan(INT8_TOLERANCE);
    }

    @Test
    void convTransposeWeightUsesAxisOne() {
        Random random = new Random(2);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 1, 3, 5, 5)
                .output("y", ElementType.FLOAT, 1, 2, 7, 7)
                .floats("w", new long[] {3, 2, 3, 3}, randomFloats(random, 54, 0.5f))
                .floats("b", new long[] {2}, new float[] {0.3f, -0.2f})
                .node("ConvTranspose", "deconv", List.of("x", "w", "b"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 1, 3, 5, 5);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto deconv = graph.node("deconv");
        NodeProto weight = graph.dequantizerOf(deconv, 1);
        assertThat(GraphQueries.intAttribute(weight, "axis")).hasValue(1);
        assertThat(graph.floats(weight.getInput(1))).hasSize(2);
        assertThat(graph.initializer(weight.getInput(0)).getDimsList()).containsExactly(3L, 2L, 3L, 3L);
        NodeProto bias = graph.dequantizerOf(deconv, 2);
        assertThat(graph.initializerType(bias.getInput(0))).isEqualTo(ElementType.INT32);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y"))
                .isLessThan(INT8_TOLERANCE);
    }

    @Test
    void gemmAxisFollowsTransB() {
        for (int transB = 0; transB <= 1; transB++) {
            Random random = new Random(3 + transB);
            long[] weightDims = transB == 1 ? new long[] {5, 6} : new long[] {6, 5};
            ModelProto model = new ModelBuilder(13)
                    .input("x", ElementType.FLOAT, 4, 6)
                    .output("y", ElementType.FLOAT, 4, 5)
                    .floats("w", weightDims, randomFloats(random, 30, 1f))
                    .floats("c", new long[] {5}, randomFloats(random, 5, 0.5f))
                    .node("Gemm", "gemm", List.of("x", "w", "c"), List.of("y"), intAttribute("transB", transB))
                    .build();
            List<Map<String, Tensor>> samples = samples(random, "x", 4, 4, 6);

            QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

            GraphQueries graph = GraphQueries.of(result.model());
            NodeProto gemm = graph.node("gemm");
            NodeProto weight = graph.dequantizerOf(gemm, 1);
            assertThat(GraphQueries.intAttribute(weight, "axis")).as("axis with transB=%d", transB)
                    .hasValue(transB == 1 ? 0 : 1);
            assertThat(graph.floats(weight.getInput(1))).hasSize(5);
            NodeProto bias = graph.dequantizerOf(gemm, 2);
            assertThat(graph.initializerType(bias.getInput(0))).isEqualTo(ElementType.INT32);
            assertThat(graph.floats(bias.getInput(1))).hasSize(5);
            assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y"))
                    .as("error with transB=%d", transB).isLessThan(INT8_TOLERANCE);
        }
    }

    @Test
    void matMulWeightPerChannelOnLastAxis() {
        Random random = new Random(5);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 3, 8)
                .output("y", ElementType.FLOAT, 2, 3, 4)
                .floats("w", new long[] {8, 4}, scaledColumns(random, 8, 4))
                .node("MatMul", "matmul", List.of("x", "w"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 2, 3, 8);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto matmul = graph.node("matmul");
        NodeProto weight = graph.dequantizerOf(matmul, 1);
        assertThat(GraphQueries.intAttribute(weight, "axis")).hasValue(1);
        float[] scales = graph.floats(weight.getInput(1));
        assertThat(scales).hasSize(4);
        assertThat(scales[3]).as("column scales follow the column magnitudes").isGreaterThan(scales[0] * 10);
        assertThat(graph.dequantizerOf(matmul, 0).getInput(0)).isEqualTo("x_quantized");
        assertThat(graph.producer("y").getName()).as("MatMul output stays float").isEqualTo("matmul");
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y"))
                .isLessThan(INT8_TOLERANCE);
    }

    @Test
    void sharedInitializerIsQuantizedOncePerAxis() {
        Random random = new Random(6);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 3, 6)
                .output("y1", ElementType.FLOAT, 3, 6)
                .output("y2", ElementType.FLOAT, 3, 6)
                .output("y3", ElementType.FLOAT, 3, 6)
                .floats("w", new long[] {6, 6}, randomFloats(random, 36, 1f))
                .node("MatMul", "first", List.of("x", "w"), List.of("y1"))
                .node("MatMul", "second", List.of("y1", "w"), List.of("y2"))
                .node("Gemm", "transposed", List.of("x", "w"), List.of("y3"), intAttribute("transB", 1))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 3, 6);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto first = graph.dequantizerOf(graph.node("first"), 1);
        NodeProto second = graph.dequantizerOf(graph.node("second"), 1);
        NodeProto transposed = graph.dequantizerOf(graph.node("transposed"), 1);
        assertThat(second).as("one DequantizeLinear shared by both MatMuls").isEqualTo(first);
        assertThat(GraphQueries.intAttribute(first, "axis")).hasValue(1);
        assertThat(GraphQueries.intAttribute(transposed, "axis")).hasValue(0);
        assertThat(transposed.getInput(0)).as("a second copy for the other axis").isNotEqualTo(first.getInput(0));
        assertThat(graph.hasInitializer("w")).isFalse();
        assertThat(result.summary().quantizedWeightCount()).isEqualTo(2);
        Map<String, Tensor> inputs = samples.get(0);
        for (String output : List.of("y1", "y2", "y3")) {
            assertThat(QdqTestSupport.outputError(model, result.model(), inputs, output)).as(output)
                    .isLessThan(INT8_TOLERANCE);
        }
    }

    @Test
    void constantNodeWeightsAreQuantizedAndRemoved() {
        Random random = new Random(7);
        TensorProto weight = TensorCodec.fromFloats("", new long[] {2, 3, 3, 3}, randomFloats(random, 54, 0.4f));
        TensorProto bias = TensorCodec.fromFloats("", new long[] {2}, new float[] {0.1f, -0.1f});
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 1, 3, 6, 6)
                .output("y", ElementType.FLOAT, 1, 2, 4, 4)
                .node("Constant", "weight_constant", List.of(), List.of("w"), ModelBuilder.tensorAttribute("value", weight))
                .node("Constant", "bias_constant", List.of(), List.of("b"), ModelBuilder.tensorAttribute("value", bias))
                .node("Conv", "conv", List.of("x", "w", "b"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 1, 3, 6, 6);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto conv = graph.node("conv");
        assertThat(graph.initializerType(graph.dequantizerOf(conv, 1).getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(graph.initializerType(graph.dequantizerOf(conv, 2).getInput(0))).isEqualTo(ElementType.INT32);
        assertThat(graph.nodes("Constant")).as("Constant nodes of replaced weights removed").isEmpty();
        assertThat(result.summary().removedFloatConstantCount()).isEqualTo(2);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y"))
                .isLessThan(INT8_TOLERANCE);
    }

    @Test
    void castOfHalfInitializerIsQuantized() {
        Random random = new Random(8);
        long[] halfBits = new long[24];
        for (int i = 0; i < halfBits.length; i++) {
            halfBits[i] = halfBits((random.nextInt(129) - 64) / 64f);
        }
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 6)
                .output("y", ElementType.FLOAT, 2, 4)
                .initializer(TensorCodec.fromLongs("w_half", new long[] {6, 4}, ElementType.UINT16, halfBits).toBuilder()
                        .setDataType(ElementType.FLOAT16.code()).build())
                .node("Cast", "widen", List.of("w_half"), List.of("w"), intAttribute("to", ElementType.FLOAT.code()))
                .node("MatMul", "matmul", List.of("x", "w"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 2, 6);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto weight = graph.dequantizerOf(graph.node("matmul"), 1);
        assertThat(graph.initializerType(weight.getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(graph.nodes("Cast")).as("Cast of the replaced weight removed").isEmpty();
        assertThat(graph.hasInitializer("w_half")).as("float16 initializer removed").isFalse();
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y"))
                .isLessThan(INT8_TOLERANCE);
    }

    @Test
    void gatherEmbeddingDequantizesAfterGather() {
        Random random = new Random(9);
        ModelProto model = new ModelBuilder(13)
                .input("ids", ElementType.INT64, 1, 5)
                .output("y", ElementType.FLOAT, 1, 5, 8)
                .floats("table", new long[] {20, 8}, randomFloats(random, 160, 1f))
                .node("Gather", "embed", List.of("table", "ids"), List.of("y"))
                .build();

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, ActivationRanges.none());

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto gather = graph.node("embed");
        assertThat(graph.initializerType(gather.getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(gather.getInput(1)).as("indices untouched").isEqualTo("ids");
        NodeProto dequantize = graph.producer("y");
        assertThat(dequantize.getOpType()).isEqualTo("DequantizeLinear");
        assertThat(dequantize.getInput(0)).isEqualTo(gather.getOutput(0));
        assertThat(GraphQueries.intAttribute(dequantize, "axis")).isEmpty();
        assertThat(graph.nodes("DequantizeLinear")).hasSize(1);
        assertThat(graph.hasInitializer("table")).isFalse();
        Map<String, Tensor> inputs = Map.of("ids", Tensor.ofLongs(new long[] {0, 19, 3, 3, 7}, 1, 5));
        assertThat(QdqTestSupport.outputError(model, result.model(), inputs, "y")).isLessThan(0.01);
    }

    @Test
    void fourBitEmbeddingStoredInEightBits() {
        ModelProto model = new ModelBuilder(13)
                .input("ids", ElementType.INT64, 1, 3)
                .output("y", ElementType.FLOAT, 1, 3, 8)
                .floats("table", new long[] {10, 8}, randomFloats(new Random(12), 80, 1f))
                .node("Gather", "embed", List.of("table", "ids"), List.of("y"))
                .build();
        QuantConfig config = A8W8.toBuilder().weightType(QuantType.QInt4).build();

        QuantizationResult result = QdqQuantizer.quantize(model, config, ActivationRanges.none());

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.initializerType(graph.node("embed").getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(result.summary().quantized()).singleElement().satisfies(node ->
                assertThat(node.notes()).containsExactly("table stored as INT8 because Gather takes no 4-bit input"));
        Map<String, Tensor> inputs = Map.of("ids", Tensor.ofLongs(new long[] {9, 0, 4}, 1, 3));
        assertThat(QdqTestSupport.outputError(model, result.model(), inputs, "y")).isLessThan(0.01);
    }

    @Test
    void embeddingStaysFloatWhenNotRequested() {
        ModelProto model = new ModelBuilder(13)
                .input("ids", ElementType.INT64, 1, 3)
                .output("y", ElementType.FLOAT, 1, 3, 8)
                .floats("table", new long[] {10, 8}, randomFloats(new Random(13), 80, 1f))
                .node("Gather", "embed", List.of("table", "ids"), List.of("y"))
                .build();
        QuantConfig config = A8W8.toBuilder().quantizeEmbeddings(false).build();

        QuantizationResult result = QdqQuantizer.quantize(model, config, ActivationRanges.none());

        assertThat(result.model().getGraph()).isEqualTo(model.getGraph());
        assertThat(result.summary().skipped()).singleElement().satisfies(skipped ->
                assertThat(skipped.reason()).isEqualTo("table 'table' is constant and quantizeEmbeddings is false"));
    }

    @Test
    void concatAddMulQuantizeInputsAndOutputs() {
        Random random = new Random(10);
        ModelProto model = new ModelBuilder(13)
                .input("a", ElementType.FLOAT, 1, 4)
                .input("b", ElementType.FLOAT, 1, 4)
                .output("y", ElementType.FLOAT, 1, 8)
                .floats("k", new long[] {1, 4}, new float[] {0.5f, 1f, -1f, 2f})
                .node("Add", "add", List.of("a", "b"), List.of("sum"))
                .node("Mul", "mul", List.of("sum", "k"), List.of("product"))
                .node("Concat", "concat", List.of("product", "a"), List.of("joined"), intAttribute("axis", 1))
                .node("Relu", "relu", List.of("joined"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            samples.add(Map.of("a", Tensor.ofFloats(randomFloats(random, 4, 1f), 1, 4),
                    "b", Tensor.ofFloats(randomFloats(random, 4, 1f), 1, 4)));
        }

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        for (String name : List.of("add", "mul", "concat")) {
            NodeProto node = graph.node(name);
            for (int input = 0; input < node.getInputCount(); input++) {
                NodeProto dequantize = graph.dequantizerOf(node, input);
                assertThat(graph.initializerType(dequantize.getInput(2))).as("%s input %d", name, input)
                        .isEqualTo(ElementType.UINT8);
            }
            assertThat(graph.consumers(node.getOutput(0))).as("%s output read by QuantizeLinear only", name)
                    .extracting(NodeProto::getOpType).containsExactly("QuantizeLinear");
        }
        NodeProto constant = graph.dequantizerOf(graph.node("mul"), 1);
        assertThat(graph.initializerType(constant.getInput(0))).as("constant input stored quantized")
                .isEqualTo(ElementType.UINT8);
        assertThat(result.summary().quantized()).hasSize(3);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(INT8_TOLERANCE);
    }

    @Test
    void resizeControlInputsStayFloat() {
        Random random = new Random(11);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 1, 2, 4, 4)
                .output("y", ElementType.FLOAT, 1, 2, 8, 8)
                .floats("roi", new long[] {0}, new float[0])
                .floats("scales", new long[] {4}, new float[] {1f, 1f, 2f, 2f})
                .node("Resize", "resize", List.of("x", "roi", "scales"), List.of("resized"),
                        ModelBuilder.stringAttribute("mode", "nearest"))
                .node("Relu", "relu", List.of("resized"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 3, 1, 2, 4, 4);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto resize = graph.node("resize");
        assertThat(resize.getInput(1)).isEqualTo("roi");
        assertThat(resize.getInput(2)).isEqualTo("scales");
        assertThat(graph.initializerType("scales")).isEqualTo(ElementType.FLOAT);
        NodeProto input = graph.dequantizerOf(resize, 0);
        NodeProto output = graph.producer("resized");
        assertThat(output.getInput(1)).as("output shares the input's scale").isEqualTo(input.getInput(1));
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(INT8_TOLERANCE);
    }

    /** IEEE binary16 bits of a value that float16 represents exactly (k / 64 for |k| <= 64). */
    private static long halfBits(float value) {
        if (value == 0) {
            return 0;
        }
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = (bits >>> 13) & 0x3FF;
        return sign | (exponent << 10) | mantissa;
    }

    static List<Map<String, Tensor>> samples(Random random, String input, int count, long... dims) {
        int size = (int) TensorCodec.elementCount(java.util.Arrays.stream(dims).boxed().toList());
        List<Map<String, Tensor>> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(Map.of(input, Tensor.ofFloats(randomFloats(random, size, 2f), dims)));
        }
        return samples;
    }

    /** Rows of very different magnitudes, so per-channel scales differ by channel. */
    private static float[] scaledRows(Random random, int rows, int columns) {
        float[] values = randomFloats(random, rows * columns, 1f);
        for (int i = 0; i < values.length; i++) {
            values[i] *= (float) Math.pow(4, i / columns - 1);
        }
        return values;
    }

    static float[] scaledColumns(Random random, int rows, int columns) {
        float[] values = randomFloats(random, rows * columns, 1f);
        for (int i = 0; i < values.length; i++) {
            values[i] *= (float) Math.pow(4, i % columns);
        }
        return values;
    }
}
