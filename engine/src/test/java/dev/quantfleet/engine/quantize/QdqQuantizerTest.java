package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.Range;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.quantize.OrtRunner.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quantfleet.engine.quantize.ModelBuilder.intAttribute;
import static dev.quantfleet.engine.quantize.ModelBuilder.intsAttribute;
import static dev.quantfleet.engine.quantize.ModelBuilder.randomFloats;
import static dev.quantfleet.engine.quantize.ModelBuilder.valueInfo;
import static dev.quantfleet.engine.quantize.QdqRewriteTest.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Opset handling, subgraphs, other integer types, dynamic format, node selection and
 * determinism of {@link QdqQuantizer}, each on a tiny seeded model checked for structure and,
 * where it runs, for ONNX Runtime numbers against the float model.
 */
class QdqQuantizerTest {

    private static final QuantConfig A8W8 = Presets.byName("a8w8");

    /** Builds a MatMul with a constant 8x4 weight followed by an Add of a constant bias. */
    private static ModelProto linearModel(int opset, Random random) {
        return new ModelBuilder(opset)
                .input("x", ElementType.FLOAT, 3, 8)
                .output("y", ElementType.FLOAT, 3, 4)
                .floats("w", new long[] {8, 4}, QdqRewriteTest.scaledColumns(random, 8, 4))
                .floats("bias", new long[] {4}, new float[] {0.5f, -1f, 2f, 0f})
                .node("MatMul", "matmul", List.of("x", "w"), List.of("product"))
                .node("Add", "add_bias", List.of("product", "bias"), List.of("y"))
                .build();
    }

    @Test
    void ifBranchesAreQuantizedAndStayValid() {
        Random random = new Random(20);
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addInitializer(TensorCodec.fromFloats("w_then", new long[] {4, 3}, randomFloats(random, 12, 1f)))
                .addInitializer(TensorCodec.fromFloats("w_then_2", new long[] {3, 3}, randomFloats(random, 9, 1f)))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("then_matmul").addInput("x")
                        .addInput("w_then").addOutput("hidden"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("then_matmul_2").addInput("hidden")
                        .addInput("w_then_2").addOutput("then_out"))
                .addOutput(valueInfo("then_out", ElementType.FLOAT, 2, 3)).build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addInitializer(TensorCodec.fromFloats("w_else", new long[] {4, 3}, randomFloats(random, 12, 1f)))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("else_matmul").addInput("x")
                        .addInput("w_else").addOutput("else_out"))
                .addOutput(valueInfo("else_out", ElementType.FLOAT, 2, 3)).build();
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 4)
                .input("flag", ElementType.BOOL)
                .output("y", ElementType.FLOAT, 2, 3)
                .node("If", "branch", List.of("flag"), List.of("y"),
                        ModelBuilder.graphAttribute("then_branch", thenBranch),
                        ModelBuilder.graphAttribute("else_branch", elseBranch))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 3, 2, 4);
        assertThat(QdqQuantizer.tensorsToCalibrate(model)).as("main-graph values read by the branches")
                .containsExactly("x");

        ActivationRanges ranges = QdqTestSupport.measureRanges(withConstantFlag(model, true), samples);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, ranges);

        NodeProto branch = GraphQueries.of(result.model()).node("branch");
        GraphQueries thenGraph = new GraphQueries(GraphQueries.graphAttribute(branch, "then_branch"));
        GraphQueries elseGraph = new GraphQueries(GraphQueries.graphAttribute(branch, "else_branch"));
        NodeProto thenWeight = thenGraph.dequantizerOf(thenGraph.node("then_matmul"), 1);
        assertThat(thenGraph.initializerType(thenWeight.getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(thenGraph.dequantizerOf(thenGraph.node("then_matmul"), 0).getInput(0)).isEqualTo("x_quantized");
        assertThat(thenGraph.node("then_matmul_2").getInput(1)).as("skipped node keeps its float weight")
                .isEqualTo("w_then_2");
        assertThat(elseGraph.initializerType(elseGraph.dequantizerOf(elseGraph.node("else_matmul"), 1).getInput(0)))
                .isEqualTo(ElementType.INT8);
        assertThat(result.summary().quantized()).extracting(node -> node.node().name())
                .containsExactly("then_matmul", "else_matmul");
        assertThat(result.summary().skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.node().name()).isEqualTo("then_matmul_2");
            assertThat(skipped.node().scope()).isEqualTo("main/If 'branch'.then_branch");
            assertThat(skipped.reason()).contains("no calibration range for input 'hidden'");
        });
        for (boolean flag : new boolean[] {true, false}) {
            Map<String, Tensor> inputs = Map.of("x", samples.get(0).get("x"));
            ModelProto floatModel = withConstantFlag(model, flag);
            ModelProto quantizedModel = withConstantFlag(result.model(), flag);
            assertThat(QdqTestSupport.outputError(floatModel, quantizedModel, inputs, "y")).as("branch %s", flag)
                    .isLessThan(0.05);
        }
    }

    /** Replaces the bool graph input by a constant, because the test runner feeds float and int64 only. */
    private static ModelProto withConstantFlag(ModelProto model, boolean flag) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.removeInput(1);
        graph.addInitializer(TensorCodec.fromLongs("flag", new long[0], ElementType.BOOL, new long[] {flag ? 1 : 0}));
        return model.toBuilder().setGraph(graph).build();
    }

    @Test
    void weightReadBySubgraphIsKept() {
        Random random = new Random(33);
        GraphProto branch = GraphProto.newBuilder().setName("reads_w")
                .addNode(NodeProto.newBuilder().setOpType("Identity").setName("copy_w").addInput("w").addOutput("w_copy"))
                .addOutput(valueInfo("w_copy", ElementType.FLOAT, 8, 4)).build();
        ModelProto base = linearModel(13, random);
        ModelProto model = base.toBuilder().setGraph(base.getGraph().toBuilder()
                .addInput(valueInfo("flag", ElementType.BOOL))
                .addOutput(valueInfo("w_out", ElementType.FLOAT, 8, 4))
                .addNode(NodeProto.newBuilder().setOpType("If").setName("branch").addInput("flag").addOutput("w_out")
                        .addAttribute(ModelBuilder.graphAttribute("then_branch", branch))
                        .addAttribute(ModelBuilder.graphAttribute("else_branch", branch.toBuilder().setName("also_w").build()))))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 2, 3, 8);
        ModelProto runnable = withConstantFlag(model, true);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(runnable, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.initializerType(graph.dequantizerOf(graph.node("matmul"), 1).getInput(0)))
                .isEqualTo(ElementType.INT8);
        assertThat(graph.hasInitializer("w")).as("the If branches still read the float weight").isTrue();
        assertThat(result.summary().removedFloatConstantCount()).isZero();
        assertThat(QdqTestSupport.outputError(runnable, withConstantFlag(result.model(), true), samples.get(0), "w_out"))
                .isZero();
    }

    @Test
    void summaryIsJson() throws Exception {
        Random random = new Random(34);
        ModelProto model = linearModel(11, random);
        QuantizationResult result = QdqQuantizer.quantize(model, A8W8,
                ActivationRanges.of(Map.of("x", new Range(-1f, 1f))));

        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(result.toJson());

        assertThat(json.get("format").asText()).isEqualTo("QDQ");
        assertThat(json.get("quantized").get(0).get("node").get("name").asText()).isEqualTo("matmul");
        assertThat(json.get("quantized").get(0).get("elementTypes").toString()).isEqualTo("[\"uint8\",\"int8\"]");
        assertThat(json.get("opsetChange").get("from").asLong()).isEqualTo(11);
        assertThat(json.get("opsetChange").get("to").asLong()).isEqualTo(13);
        assertThat(json.get("quantizedWeightCount").asInt()).isEqualTo(1);
        assertThat(json.has("model")).isFalse();
    }

    @Test
    void loopBodyIsQuantizedWithGivenRanges() {
        Random random = new Random(35);
        GraphProto body = GraphProto.newBuilder().setName("step")
                .addInput(valueInfo("iteration", ElementType.INT64))
                .addInput(valueInfo("condition_in", ElementType.BOOL))
                .addInput(valueInfo("state_in", ElementType.FLOAT, 2, 4))
                .addInitializer(TensorCodec.fromFloats("w_step", new long[] {4, 4}, randomFloats(random, 16, 0.5f)))
                .addNode(NodeProto.newBuilder().setOpType("Identity").setName("keep_going").addInput("condition_in")
                        .addOutput("condition_out"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("step_matmul").addInput("state_in")
                        .addInput("w_step").addOutput("state_out"))
                .addOutput(valueInfo("condition_out", ElementType.BOOL))
                .addOutput(valueInfo("state_out", ElementType.FLOAT, 2, 4)).build();
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 4)
                .output("y", ElementType.FLOAT, 2, 4)
                .longs("trips", new long[0], ElementType.INT64, 2)
                .longs("always", new long[0], ElementType.BOOL, 1)
                .node("Loop", "repeat", List.of("trips", "always", "x"), List.of("y"),
                        ModelBuilder.graphAttribute("body", body))
                .build();
        Map<String, Tensor> inputs = samples(random, "x", 1, 2, 4).get(0);
        ActivationRanges ranges = ActivationRanges.of(Map.of("state_in", new Range(-3f, 3f)));

        QuantizationResult withRanges = QdqQuantizer.quantize(model, A8W8, ranges);
        QuantizationResult withoutRanges = QdqQuantizer.quantize(model, A8W8, ActivationRanges.none());

        GraphQueries loopBody = new GraphQueries(GraphQueries.graphAttribute(
                GraphQueries.of(withRanges.model()).node("repeat"), "body"));
        NodeProto step = loopBody.node("step_matmul");
        assertThat(loopBody.initializerType(loopBody.dequantizerOf(step, 1).getInput(0))).isEqualTo(ElementType.INT8);
        assertThat(loopBody.dequantizerOf(step, 0).getInput(0)).isEqualTo("state_in_quantized");
        assertThat(loopBody.hasInitializer("w_step")).isFalse();
        assertThat(withRanges.summary().quantized()).singleElement()
                .satisfies(node -> assertThat(node.node().scope()).isEqualTo("main/Loop 'repeat'.body"));
        assertThat(withoutRanges.summary().skipped()).singleElement()
                .satisfies(skipped -> assertThat(skipped.reason()).isEqualTo("no calibration range for input 'state_in'"));
        assertThat(QdqTestSupport.outputError(model, withRanges.model(), inputs, "y")).isLessThan(0.05);
        assertThat(QdqTestSupport.outputError(model, withoutRanges.model(), inputs, "y")).isZero();
    }

    @Test
    void invalidSubgraphIsReportedAndKept() {
        GraphProto cyclic = GraphProto.newBuilder().setName("cyclic")
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("first").addInput("x").addInput("b")
                        .addOutput("a"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("second").addInput("a").addInput("a")
                        .addOutput("b"))
                .addOutput(valueInfo("b", ElementType.FLOAT, 2)).build();
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2)
                .input("flag", ElementType.BOOL)
                .output("y", ElementType.FLOAT, 2)
                .node("If", "branch", List.of("flag"), List.of("y"),
                        ModelBuilder.graphAttribute("then_branch", cyclic),
                        ModelBuilder.graphAttribute("else_branch", cyclic))
                .build();

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, ActivationRanges.none());

        assertThat(result.summary().skippedSubgraphs()).hasSize(2);
        assertThat(result.summary().skippedSubgraphs().get(0).scope()).isEqualTo("main/If 'branch'.then_branch");
        assertThat(result.summary().skippedSubgraphs().get(0).reason()).contains("cycle");
        assertThat(GraphQueries.graphAttribute(GraphQueries.of(result.model()).node("branch"), "then_branch"))
                .isEqualTo(cyclic);
    }

    @Test
    void sixteenBitActivationsRaiseOpsetTo21() {
        Random random = new Random(21);
        ModelProto model = linearModel(13, random);
        List<Map<String, Tensor>> samples = samples(random, "x", 3, 3, 8);

        QuantizationResult result = QdqQuantizer.quantize(model, Presets.byName("a16w8"),
                QdqTestSupport.measureRanges(model, samples));

        assertThat(result.summary().opsetChange()).isNotNull();
        assertThat(result.summary().opsetChange().from()).isEqualTo(13);
        assertThat(result.summary().opsetChange().to()).isEqualTo(21);
        assertThat(QdqQuantizer.defaultOpset(result.model())).isEqualTo(21);
        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto activation = graph.dequantizerOf(graph.node("matmul"), 0);
        assertThat(graph.initializerType(activation.getInput(2))).isEqualTo(ElementType.UINT16);
        assertThat(graph.initializerType(graph.dequantizerOf(graph.node("matmul"), 1).getInput(0)))
                .isEqualTo(ElementType.INT8);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(0.02);
    }

    @Test
    void fourBitWeightsArePackedPerChannel() {
        Random random = new Random(22);
        ModelProto model = linearModel(13, random);
        List<Map<String, Tensor>> samples = samples(random, "x", 3, 3, 8);
        QuantConfig config = A8W8.toBuilder().weightType(QuantType.QInt4).build();

        QuantizationResult result = QdqQuantizer.quantize(model, config, QdqTestSupport.measureRanges(model, samples));

        assertThat(result.summary().opsetChange().to()).isEqualTo(21);
        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto weight = graph.dequantizerOf(graph.node("matmul"), 1);
        assertThat(graph.initializerType(weight.getInput(0))).isEqualTo(ElementType.INT4);
        assertThat(graph.initializer(weight.getInput(0)).getRawData().size()).as("32 values packed in 16 bytes")
                .isEqualTo(16);
        assertThat(GraphQueries.intAttribute(weight, "axis")).hasValue(1);
        assertThat(graph.initializerType(weight.getInput(2))).isEqualTo(ElementType.INT4);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(0.25);
    }

    @Test
    void dynamicFormatUsesMatMulInteger() {
        Random random = new Random(23);
        ModelProto base = linearModel(13, random);
        ModelProto model = base.toBuilder().setGraph(base.getGraph().toBuilder()
                .addOutput(valueInfo("z", ElementType.FLOAT, 3, 4))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("second").addInput("x").addInput("w")
                        .addOutput("z"))).build();
        List<Map<String, Tensor>> samples = samples(random, "x", 1, 3, 8);

        QuantizationResult result = QdqQuantizer.quantize(model, Presets.byName("dynamic-int8"), ActivationRanges.none());

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.nodes("MatMul")).isEmpty();
        assertThat(graph.nodes("DynamicQuantizeLinear")).as("one per activation").hasSize(1);
        assertThat(graph.nodes("MatMulInteger")).hasSize(2);
        NodeProto matMulInteger = graph.producer(graph.producer(graph.producer("product").getInput(0)).getInput(0));
        assertThat(matMulInteger.getOpType()).isEqualTo("MatMulInteger");
        assertThat(graph.producer(matMulInteger.getInput(0)).getOpType()).isEqualTo("DynamicQuantizeLinear");
        assertThat(graph.initializerType(matMulInteger.getInput(1))).isEqualTo(ElementType.INT8);
        assertThat(graph.longs(matMulInteger.getInput(3))).as("per-column zero points").containsOnly(0L).hasSize(4);
        NodeProto cast = graph.producer(graph.producer("product").getInput(0));
        assertThat(cast.getOpType()).isEqualTo("Cast");
        NodeProto scaleProduct = graph.producer(graph.producer("product").getInput(1));
        assertThat(scaleProduct.getOpType()).isEqualTo("Mul");
        assertThat(graph.floats(scaleProduct.getInput(1))).hasSize(4);
        assertThat(graph.node("add_bias").getInput(0)).as("bias Add kept after the rescaling").isEqualTo("product");
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(0.05);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "z")).isLessThan(0.05);
    }

    @Test
    void dataMovementAndPoolsShareScales() {
        Random random = new Random(24);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 1, 2, 6, 6)
                .output("y", ElementType.FLOAT, 1, 3)
                .floats("w", new long[] {4, 2, 3, 3}, randomFloats(random, 72, 0.5f))
                .floats("w_fc", new long[] {16, 3}, randomFloats(random, 48, 0.3f))
                .longs("shape", new long[] {2}, ElementType.INT64, 1, 16)
                .node("Conv", "conv", List.of("x", "w"), List.of("features"))
                .node("MaxPool", "pool", List.of("features"), List.of("pooled"), intsAttribute("kernel_shape", 2, 2),
                        intsAttribute("strides", 2, 2))
                .node("Reshape", "flatten", List.of("pooled", "shape"), List.of("flat"))
                .node("Gemm", "fc", List.of("flat", "w_fc"), List.of("logits"))
                .node("Softmax", "softmax", List.of("logits"), List.of("probabilities"), intAttribute("axis", 1))
                .node("Identity", "copy", List.of("probabilities"), List.of("y"))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 3, 1, 2, 6, 6);

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        String convScale = graph.producer("features").getInput(1);
        assertThat(graph.producer("pooled").getInput(1)).as("MaxPool shares the Conv output scale").isEqualTo(convScale);
        assertThat(graph.producer("flat").getInput(1)).as("Reshape shares it too").isEqualTo(convScale);
        assertThat(graph.node("flatten").getInput(1)).as("shape input untouched").isEqualTo("shape");
        assertThat(graph.node("fc").getInput(0)).as("Gemm reads the shared dequantized value").isEqualTo("flat");
        NodeProto softmaxOutput = graph.producer("probabilities");
        assertThat(graph.floats(softmaxOutput.getInput(1))).containsExactly(1f / 255);
        assertThat(graph.longs(softmaxOutput.getInput(2))).containsExactly(0L);
        assertThat(result.summary().quantized()).extracting(node -> node.node().name())
                .containsExactly("conv", "pool", "flatten", "fc", "softmax");
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(0.05);
    }

    @Test
    void graphOutputStaysFloat() {
        Random random = new Random(32);
        ModelProto model = linearModel(13, random);
        QuantConfig config = A8W8.toBuilder().opTypesToQuantize(List.of("MatMul", "Add")).build();
        List<Map<String, Tensor>> samples = samples(random, "x", 2, 3, 8);

        QuantizationResult result = QdqQuantizer.quantize(model, config, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.producer("y").getName()).isEqualTo("add_bias");
        assertThat(graph.dequantizerOf(graph.node("add_bias"), 0).getInput(0)).isEqualTo("product_quantized");
        assertThat(result.summary().quantized()).filteredOn(node -> node.node().name().equals("add_bias"))
                .singleElement().satisfies(node -> assertThat(node.notes())
                        .containsExactly("output 'y' left in float: it is a graph output, and rounding it would only "
                                + "add error"));
    }

    @Test
    void opset11KeepsItsFormWithoutPerChannel() {
        Random random = new Random(25);
        ModelProto model = linearModel(11, random);
        List<Map<String, Tensor>> samples = samples(random, "x", 2, 3, 8);
        QuantConfig perTensor = A8W8.toBuilder().perChannel(false).build();

        QuantizationResult kept = QdqQuantizer.quantize(model, perTensor, QdqTestSupport.measureRanges(model, samples));
        QuantizationResult raised = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        assertThat(kept.summary().opsetChange()).isNull();
        assertThat(QdqQuantizer.defaultOpset(kept.model())).isEqualTo(11);
        for (NodeProto node : GraphQueries.of(kept.model()).nodes("DequantizeLinear")) {
            assertThat(GraphQueries.intAttribute(node, "axis")).as(node.getName()).isEmpty();
        }
        assertThat(raised.summary().opsetChange().from()).isEqualTo(11);
        assertThat(raised.summary().opsetChange().to()).isEqualTo(13);
        assertThat(QdqTestSupport.outputError(model, kept.model(), samples.get(0), "y")).isLessThan(0.05);
        assertThat(QdqTestSupport.outputError(model, raised.model(), samples.get(0), "y")).isLessThan(0.05);
    }

    @Test
    void nodeOverrideUsesSixteenBitsForOneNode() {
        Random random = new Random(26);
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 4)
                .output("y", ElementType.FLOAT, 2, 4)
                .output("z", ElementType.FLOAT, 2, 4)
                .floats("w", new long[] {4, 4}, randomFloats(random, 16, 1f))
                .floats("v", new long[] {4, 4}, randomFloats(random, 16, 1f))
                .node("MatMul", "narrow", List.of("x", "w"), List.of("y"))
                .node("MatMul", "wide", List.of("x", "v"), List.of("z"))
                .build();
        QuantConfig config = A8W8.toBuilder().nodeOverrides(Map.of("wide", NodeOverride.activations(QuantType.QInt16)))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 2, 2, 4);

        QuantizationResult result = QdqQuantizer.quantize(model, config, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.initializerType(graph.dequantizerOf(graph.node("narrow"), 0).getInput(2)))
                .isEqualTo(ElementType.UINT8);
        assertThat(graph.initializerType(graph.dequantizerOf(graph.node("wide"), 0).getInput(2)))
                .isEqualTo(ElementType.INT16);
        assertThat(graph.nodes("QuantizeLinear")).as("one pair per type of x").hasSize(2);
        assertThat(result.summary().opsetChange().to()).isEqualTo(21);
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "z")).isLessThan(0.02);
    }

    @Test
    void excludedNodesAreReportedAndUnchanged() {
        Random random = new Random(27);
        ModelProto model = linearModel(13, random);
        QuantConfig config = A8W8.toBuilder().nodesToExclude(List.of("mat*")).build();

        QuantizationResult result = QdqQuantizer.quantize(model, config,
                QdqTestSupport.measureRanges(model, samples(random, "x", 1, 3, 8)));

        assertThat(result.summary().excluded()).singleElement().satisfies(excluded -> {
            assertThat(excluded.node().name()).isEqualTo("matmul");
            assertThat(excluded.reason()).contains("'mat*'");
        });
        assertThat(result.model().getGraph()).isEqualTo(model.getGraph());
    }

    @Test
    void unmatchedExcludePatternNamesRealNodes() {
        ModelProto model = linearModel(13, new Random(28));
        QuantConfig config = A8W8.toBuilder().nodesToExclude(List.of("matmull", "regex:add_.*")).build();

        assertThatThrownBy(() -> QdqQuantizer.quantize(model, config, ActivationRanges.none()))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("nodesToExclude entry 'matmull' matches no node")
                .hasMessageContaining("[matmul, add_bias]")
                .hasMessageNotContaining("regex:add_");
    }

    @Test
    void overrideOfMissingNodeIsRejected() {
        ModelProto model = linearModel(13, new Random(29));
        QuantConfig config = A8W8.toBuilder().nodeOverrides(Map.of("dense", NodeOverride.keepInFloat())).build();

        assertThatThrownBy(() -> QdqQuantizer.quantize(model, config, ActivationRanges.none()))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("nodeOverrides names node 'dense', which does not exist")
                .hasMessageContaining("matmul");
    }

    @Test
    void missingRangeSkipsNodeWithReason() {
        ModelProto model = linearModel(13, new Random(30));

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, ActivationRanges.none());

        assertThat(result.summary().skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.node().name()).isEqualTo("matmul");
            assertThat(skipped.reason()).isEqualTo("no calibration range for input 'x'");
        });
        assertThat(result.summary().quantizedWeightCount()).isZero();
        assertThat(result.model().getGraph()).isEqualTo(model.getGraph());
    }

    @Test
    void uncalibratedReshapeOutputInheritsInputRange() {
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 4)
                .output("y", ElementType.FLOAT, 8, 3)
                .longs("shape", new long[] {2}, ElementType.INT64, 8, 1)
                .floats("w", new long[] {1, 3}, new float[] {1f, -2f, 0.5f})
                .node("Reshape", "column", List.of("x", "shape"), List.of("x_column"))
                .node("MatMul", "matmul", List.of("x_column", "w"), List.of("y"))
                .build();
        ActivationRanges ranges = ActivationRanges.of(Map.of("x", new Range(-1f, 3f)));

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, ranges);

        GraphQueries graph = GraphQueries.of(result.model());
        NodeProto input = graph.dequantizerOf(graph.node("matmul"), 0);
        assertThat(graph.floats(input.getInput(1))).containsExactly(4f / 255);
        assertThat(result.summary().skipped()).isEmpty();
    }

    @Test
    void sameInputsGiveIdenticalBytes() {
        Random random = new Random(31);
        ModelProto model = linearModel(11, random);
        ActivationRanges ranges = ActivationRanges.of(Map.of("x", new Range(-2f, 2f)));

        byte[] first = QdqQuantizer.quantize(model, A8W8, ranges).model().toByteArray();
        byte[] second = QdqQuantizer.quantize(model, A8W8, ranges).model().toByteArray();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void tensorsToCalibrateListsFloatActivationsOnly() {
        ModelProto model = new ModelBuilder(13)
                .input("x", ElementType.FLOAT, 2, 4)
                .output("y", ElementType.FLOAT, 2, 4)
                .floats("w", new long[] {4, 4}, new float[16])
                .longs("zero", new long[0], ElementType.INT64, 0)
                .node("Shape", "shape", List.of("x"), List.of("dims"))
                .node("Gather", "first_dim", List.of("dims", "zero"), List.of("rows"))
                .node("MatMul", "matmul", List.of("x", "w"), List.of("h"))
                .node("Add", "add", List.of("h", "x"), List.of("y"))
                .build();

        assertThat(QdqQuantizer.tensorsToCalibrate(model)).containsExactly("x", "h", "y");
    }

    @Test
    void convAbsorbsBatchNormalizationBeforeQuantization() {
        Random random = new Random(40);
        ModelProto model = new ModelBuilder(9)
                .input("x", ElementType.FLOAT, 1, 3, 6, 6)
                .output("y", ElementType.FLOAT, 1, 4, 6, 6)
                .floats("w", new long[] {4, 3, 3, 3}, randomFloats(random, 108, 0.5f))
                .floats("scale", new long[] {4}, new float[] {3f, 0.02f, 1f, -8f})
                .floats("shift", new long[] {4}, new float[] {0.1f, 0.4f, -0.3f, 0f})
                .floats("mean", new long[] {4}, new float[] {0.2f, -0.1f, 0f, 0.5f})
                .floats("var", new long[] {4}, new float[] {0.5f, 2f, 1f, 0.05f})
                .node("Conv", "conv", List.of("x", "w"), List.of("raw"), intsAttribute("pads", 1, 1, 1, 1))
                .node("BatchNormalization", "norm", List.of("raw", "scale", "shift", "mean", "var"), List.of("normalized"))
                .node("Relu", "relu", List.of("normalized"), List.of("activated"))
                .node("MaxPool", "pool", List.of("activated"), List.of("y"), intsAttribute("kernel_shape", 1, 1))
                .build();
        List<Map<String, Tensor>> samples = samples(random, "x", 4, 1, 3, 6, 6);
        assertThat(QdqQuantizer.tensorsToCalibrate(model)).as("the normalization output is the folded Conv's output")
                .containsExactly("x", "normalized", "activated");

        QuantizationResult result = QdqQuantizer.quantize(model, A8W8, QdqTestSupport.measureRanges(model, samples));

        GraphQueries graph = GraphQueries.of(result.model());
        assertThat(graph.nodes("BatchNormalization")).isEmpty();
        assertThat(graph.dequantizerOf(graph.node("conv"), 2).getInput(0)).as("int32 bias from the normalization shift")
                .satisfies(bias -> assertThat(graph.initializerType(bias)).isEqualTo(ElementType.INT32));
        assertThat(result.summary().quantized()).filteredOn(node -> node.node().name().equals("conv")).singleElement()
                .satisfies(conv -> assertThat(conv.notes()).contains(
                        "folded BatchNormalization 'norm' into the weight and bias"));
        assertThat(QdqTestSupport.outputError(model, result.model(), samples.get(0), "y")).isLessThan(0.05);
    }

    @Test
    void graphEditIsValidatedAgainstOpset() {
        QdqNodes opset12 = new QdqNodes(12);
        QuantParameters perChannel = QuantParameters.perChannel(ElementType.INT8, 0, new float[] {1f, 1f},
                new long[] {0, 0});
        QuantParameters wide = QuantParameters.perTensor(ElementType.INT16, 1f, 0);

        assertThatThrownBy(() -> opset12.dequantizeLinear("w_DequantizeLinear", "w_quantized", "s", "z", "w_dq",
                ElementType.INT8, 0))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("DequantizeLinear node 'w_DequantizeLinear'")
                .hasMessageContaining("opset 13");
        assertThatThrownBy(() -> opset12.quantizeLinear("x_QuantizeLinear", "x", "s", "z", "x_q", wide))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("QuantizeLinear node 'x_QuantizeLinear'")
                .hasMessageContaining("opset 21");
        assertThat(new QdqNodes(13).quantizeLinear("q", "x", "s", "z", "x_q", perChannel).getAttributeCount()).isEqualTo(1);
        assertThatThrownBy(() -> new QdqNodes(10).dynamicQuantizeLinear("d", "x", "q", "s", "z"))
                .isInstanceOf(QuantizationException.class).hasMessageContaining("opset 11");
    }

    @Test
    void opsetTenModelIsWrittenAtElevenAndLoadsOptimized() throws Exception {
        Random random = new Random(21);
        ModelProto model = new ModelBuilder(10)
                .input("x", ElementType.FLOAT, -1, 8)
                .floats("W", new long[] {8, 4}, randomFloats(random, 32, 1f))
                .floats("b", new long[] {4}, randomFloats(random, 4, 1f))
                .node("MatMul", "matmul", List.of("x", "W"), List.of("h"))
                .node("Add", "bias", List.of("h", "b"), List.of("y"))
                .output("y", ElementType.FLOAT, -1, 4)
                .build();
        // The bias Add stays float, as the default op types of a model without attention leave it.
        QuantConfig config = Presets.byName("a8w8").toBuilder().perChannel(false)
                .opTypesToQuantize(List.of("MatMul")).build();
        ActivationRanges ranges = QdqTestSupport.measureRanges(model, samples(random, "x", 4, 1, 8));

        QuantizationResult result = QdqQuantizer.quantize(model, config, ranges);

        assertThat(result.summary().opsetChange().to()).isEqualTo(11);
        try (var session = dev.quantfleet.engine.runtime.OrtSessions.create(result.model().toByteArray(), 1,
                ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
            assertThat(session.getOutputNames()).containsExactly("y");
        }
    }
}
