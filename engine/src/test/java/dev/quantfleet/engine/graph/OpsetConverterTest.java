package dev.quantfleet.engine.graph;

import static dev.quantfleet.engine.model.ModelFixtures.floatAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.floats;
import static dev.quantfleet.engine.model.ModelFixtures.graphAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.intAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.ints;
import static dev.quantfleet.engine.model.ModelFixtures.node;
import static dev.quantfleet.engine.model.ModelFixtures.randomFloats;
import static dev.quantfleet.engine.model.ModelFixtures.stringAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.tensorInfo;
import static dev.quantfleet.engine.model.ModelFixtures.tensorInfoWithoutShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quantfleet.engine.model.ModelFixtures;
import dev.quantfleet.engine.model.OrtRunner;
import dev.quantfleet.engine.model.OrtRunner.Input;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.FunctionProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

class OpsetConverterTest {

    private static final Random RANDOM = new Random(42);

    @ParameterizedTest
    @ValueSource(ints = {13, 18, 21, 23})
    void opset11ModelComputesSameOutputs(int target) throws Exception {
        ModelProto model = opset11Model();
        float[] x = randomFloats(RANDOM, 24);

        OpsetConversion conversion = OpsetConverter.convert(model, target);

        ModelProto converted = conversion.model();
        assertThat(conversion.fromVersion()).isEqualTo(11);
        assertThat(conversion.toVersion()).isEqualTo(target);
        assertThat(converted.getOpsetImport(0).getVersion()).isEqualTo(target);
        assertThat(converted.getIrVersion()).isEqualTo(OpsetConverter.minimumIrVersion(target));
        assertThat(conversion.rewrittenNodesByOpType())
                .containsEntry("Unsqueeze", 1)
                .containsEntry("Squeeze", 1)
                .containsEntry("ReduceSum", 1)
                .containsEntry("Softmax", 1)
                .containsEntry("LogSoftmax", 1)
                .containsEntry("Hardmax", 1);
        assertThat(conversion.rewrittenNodesByOpType().get("Split")).isEqualTo(target >= 18 ? 2 : 1);
        assertThat(conversion.rewrittenNodesByOpType().get("ReduceMean")).isEqualTo(target >= 18 ? 1 : null);
        for (NodeProto node : converted.getGraph().getNodeList()) {
            boolean axesAttributeAllowed = target < 18 && node.getOpType().equals("ReduceMean");
            if (!axesAttributeAllowed) {
                assertThat(OpsetRewrites.attribute(node, "axes")).as(node.getName()).isEmpty();
            }
            assertThat(OpsetRewrites.attribute(node, "split")).as(node.getName()).isEmpty();
        }
        TensorProto axes = initializer(converted, "unsqueeze_u_axes");
        assertThat(TensorCodec.elementType(axes)).isEqualTo(ElementType.INT64);
        assertThat(TensorCodec.toLongs(axes)).containsExactly(0L);
        assertThat(TensorCodec.toLongs(initializer(converted, "split_p1_split"))).containsExactly(1L, 3L);

        Map<String, float[]> expected = OrtRunner.run(model.toByteArray(), Input.floats("x", x, 2, 3, 4));
        Map<String, float[]> actual = OrtRunner.run(converted.toByteArray(), Input.floats("x", x, 2, 3, 4));
        assertSameOutputs(actual, expected, 1e-6f);
    }

    @Test
    void lastAxisSoftmaxStaysUnchanged() throws OpsetConversionException {
        OpsetConversion conversion = OpsetConverter.convert(opset11Model(), 13);

        NodeProto lastAxis = conversion.model().getGraph().getNodeList().stream()
                .filter(node -> node.getName().equals("softmax_last")).findFirst().orElseThrow();
        assertThat(lastAxis.getInput(0)).isEqualTo("p2");
        assertThat(lastAxis.getOutput(0)).isEqualTo("softmax_last");
        long flattenCount = conversion.model().getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals("Flatten")).count();
        assertThat(flattenCount).isEqualTo(3);
    }

    @Test
    void miniLmLikeUnsqueezeChainConverts() throws Exception {
        int count = 51;
        GraphProto.Builder graph = GraphProto.newBuilder().setName("unsqueeze_chain")
                .addInput(tensorInfo("x", ElementType.FLOAT, 2, 3));
        String current = "x";
        for (int i = 0; i < count; i++) {
            String unsqueezed = "unsqueezed_" + i;
            String squeezed = "squeezed_" + i;
            graph.addNode(NodeProto.newBuilder().setOpType("Unsqueeze").setName("Unsqueeze_" + i)
                    .addInput(current).addOutput(unsqueezed).addAttribute(ints("axes", i % 3)));
            graph.addNode(NodeProto.newBuilder().setOpType("Squeeze").setName("Squeeze_" + i)
                    .addInput(unsqueezed).addOutput(squeezed).addAttribute(ints("axes", i % 3)));
            current = squeezed;
        }
        graph.addNode(node("Identity", List.of(current), List.of("y")));
        graph.addOutput(tensorInfo("y", ElementType.FLOAT, 2, 3));
        ModelProto model = ModelFixtures.model(graph.build(), 6, 11);

        OpsetConversion first = OpsetConverter.convert(model, 21);
        OpsetConversion second = OpsetConverter.convert(model, 21);

        assertThat(first.rewrittenNodesByOpType()).containsExactly(Map.entry("Squeeze", count), Map.entry("Unsqueeze", count));
        assertThat(first.model().toByteArray()).isEqualTo(second.model().toByteArray());
        List<TensorProto> initializers = first.model().getGraph().getInitializerList();
        assertThat(initializers).hasSize(2 * count);
        Set<String> names = new HashSet<>();
        initializers.forEach(initializer -> names.add(initializer.getName()));
        assertThat(names).hasSize(2 * count).contains("Unsqueeze_0_axes", "Squeeze_50_axes");
        assertThat(TensorCodec.toLongs(initializer(first.model(), "Unsqueeze_50_axes"))).containsExactly(2L);
        for (NodeProto node : first.model().getGraph().getNodeList()) {
            assertThat(node.getAttributeList()).as(node.getName()).isEmpty();
        }

        float[] x = randomFloats(RANDOM, 6);
        assertSameOutputs(OrtRunner.run(first.model().toByteArray(), Input.floats("x", x, 2, 3)),
                OrtRunner.run(model.toByteArray(), Input.floats("x", x, 2, 3)), 0f);
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 13, 21})
    void opset7AttributesMoveToInputs(int target) throws Exception {
        ModelProto model = opset7Model();
        float[] x = randomFloats(RANDOM, 16);

        OpsetConversion conversion = OpsetConverter.convert(model, target);

        assertThat(conversion.rewrittenNodesByOpType()).containsKeys("Upsample", "Slice", "TopK", "Clip", "Pad");
        assertThat(conversion.rewrittenNodesByOpType()).containsEntry("BatchNormalization", 1);
        assertThat(conversion.rewrittenNodesByOpType()).containsEntry("Dropout", 1);
        List<String> opTypes = conversion.model().getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
        assertThat(opTypes).doesNotContain("Upsample").contains("Resize");
        NodeProto dropout = conversion.model().getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals("Dropout")).findFirst().orElseThrow();
        assertThat(dropout.getOutputList()).containsExactly("dropped");
        if (target >= 12) {
            assertThat(dropout.getInputCount()).isEqualTo(2);
        }

        Map<String, float[]> expected = OrtRunner.run(model.toByteArray(), Input.floats("x", x, 1, 1, 4, 4));
        Map<String, float[]> actual = OrtRunner.run(conversion.model().toByteArray(), Input.floats("x", x, 1, 1, 4, 4));
        assertSameOutputs(actual, expected, 1e-6f);
    }

    @Test
    void nearestResizeKeepsOpset10Rounding() throws Exception {
        for (float scale : new float[] {0.6f, 0.75f, 1.7f, 3f}) {
            GraphProto graph = GraphProto.newBuilder().setName("resize10")
                    .addInitializer(TensorCodec.fromFloats("scales", new long[] {4}, new float[] {1f, 1f, scale, scale}))
                    .addNode(node("Resize", List.of("x", "scales"), List.of("y"), stringAttribute("mode", "nearest")))
                    .addNode(node("Resize", List.of("x", "scales"), List.of("y_linear"), stringAttribute("mode", "linear")))
                    .addInput(tensorInfo("x", ElementType.FLOAT, 1, 1, 5, 7))
                    .addOutput(tensorInfoWithoutShape("y", ElementType.FLOAT))
                    .addOutput(tensorInfoWithoutShape("y_linear", ElementType.FLOAT))
                    .build();
            ModelProto model = ModelFixtures.model(graph, 5, 10);
            float[] x = randomFloats(RANDOM, 35);

            ModelProto converted = OpsetConverter.convert(model, 13).model();

            assertSameOutputs(OrtRunner.run(converted.toByteArray(), Input.floats("x", x, 1, 1, 5, 7)),
                    OrtRunner.run(model.toByteArray(), Input.floats("x", x, 1, 1, 5, 7)), 1e-6f);
        }
    }

    @Test
    void subgraphsAndFunctionsConvert() throws Exception {
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(NodeProto.newBuilder().setOpType("Unsqueeze").setName("then_unsqueeze")
                        .addInput("x").addOutput("then_y").addAttribute(ints("axes", 0)))
                .addOutput(tensorInfoWithoutShape("then_y", ElementType.FLOAT))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(NodeProto.newBuilder().setOpType("Unsqueeze").setName("else_unsqueeze")
                        .addInput("x").addOutput("else_y").addAttribute(ints("axes", 2)))
                .addNode(node("Neg", List.of("else_y"), List.of("else_negated")))
                .addNode(NodeProto.newBuilder().setOpType("Reshape").setName("else_reshape")
                        .addInput("else_negated").addInput("shape").addOutput("else_out"))
                .addOutput(tensorInfoWithoutShape("else_out", ElementType.FLOAT))
                .build();
        FunctionProto addAxis = FunctionProto.newBuilder()
                .setName("AddLeadingAxis").setDomain("local")
                .addInput("a").addOutput("b")
                .addNode(NodeProto.newBuilder().setOpType("Unsqueeze").setName("function_unsqueeze")
                        .addInput("a").addOutput("b").addAttribute(ints("axes", 0)))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(11))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("control_flow")
                .addInitializer(TensorCodec.fromLongs("shape", new long[] {3}, ElementType.INT64, new long[] {1, 2, 3}))
                .addNode(node("If", List.of("condition"), List.of("branch"),
                        graphAttribute("then_branch", thenBranch), graphAttribute("else_branch", elseBranch)))
                .addNode(NodeProto.newBuilder().setOpType("AddLeadingAxis").setDomain("local").setName("call")
                        .addInput("x").addOutput("called"))
                .addInput(tensorInfo("x", ElementType.FLOAT, 2, 3))
                .addInput(tensorInfo("condition", ElementType.BOOL))
                .addOutput(tensorInfoWithoutShape("branch", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("called", ElementType.FLOAT))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(11))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1))
                .setGraph(graph)
                .addFunctions(addAxis)
                .build();

        OpsetConversion conversion = OpsetConverter.convert(model, 13);

        assertThat(conversion.rewrittenNodesByOpType()).containsExactly(Map.entry("Unsqueeze", 3));
        GraphProto convertedThen = conversion.model().getGraph().getNode(0).getAttribute(0).getG();
        assertThat(convertedThen.getInitializerList()).extracting(TensorProto::getName)
                .containsExactly("then_unsqueeze_axes");
        FunctionProto convertedFunction = conversion.model().getFunctions(0);
        assertThat(convertedFunction.getOpsetImport(0).getVersion()).isEqualTo(13);
        assertThat(convertedFunction.getNodeList()).extracting(NodeProto::getOpType)
                .containsExactly("Constant", "Unsqueeze");
        assertThat(convertedFunction.getNode(1).getInput(1)).isEqualTo(convertedFunction.getNode(0).getOutput(0));

        float[] x = randomFloats(RANDOM, 6);
        for (boolean condition : new boolean[] {true, false}) {
            Input[] inputs = {Input.floats("x", x, 2, 3), Input.boolScalar("condition", condition)};
            Map<String, float[]> expected = OrtRunner.run(model.toByteArray(), inputs);
            Map<String, float[]> actual = OrtRunner.run(conversion.model().toByteArray(), inputs);
            assertSameOutputs(actual, expected, 0f);
        }
    }

    @Test
    void scatterAndGridSampleKeepResults() throws Exception {
        GraphProto scatter = GraphProto.newBuilder().setName("scatter")
                .addInitializer(TensorCodec.fromLongs("indices", new long[] {1, 2}, ElementType.INT64, new long[] {3, 0}))
                .addInitializer(TensorCodec.fromFloats("updates", new long[] {1, 2}, new float[] {10f, 20f}))
                .addNode(node("Scatter", List.of("x", "indices", "updates"), List.of("y"), intAttribute("axis", 1)))
                .addInput(tensorInfo("x", ElementType.FLOAT, 2, 4))
                .addOutput(tensorInfo("y", ElementType.FLOAT, 2, 4))
                .build();
        GraphProto gridSample = GraphProto.newBuilder().setName("grid_sample")
                .addNode(node("GridSample", List.of("image", "grid"), List.of("sampled"),
                        stringAttribute("mode", "bilinear"), intAttribute("align_corners", 1)))
                .addInput(tensorInfo("image", ElementType.FLOAT, 1, 1, 3, 3))
                .addInput(tensorInfo("grid", ElementType.FLOAT, 1, 2, 2, 2))
                .addOutput(tensorInfoWithoutShape("sampled", ElementType.FLOAT))
                .build();
        ModelProto scatterModel = ModelFixtures.model(scatter, 4, 9);
        ModelProto gridModel = ModelFixtures.model(gridSample, 8, 16);
        float[] x = randomFloats(RANDOM, 8);
        float[] image = randomFloats(RANDOM, 9);
        float[] grid = {-1f, -1f, 0.3f, -0.2f, 0.9f, 0.5f, 1f, 1f};

        OpsetConversion scatterConversion = OpsetConverter.convert(scatterModel, 13);
        OpsetConversion gridConversion = OpsetConverter.convert(gridModel, 20);

        assertThat(scatterConversion.model().getGraph().getNode(0).getOpType()).isEqualTo("ScatterElements");
        assertThat(OpsetRewrites.stringAttribute(gridConversion.model().getGraph().getNode(0), "mode")).contains("linear");
        assertSameOutputs(OrtRunner.run(scatterConversion.model().toByteArray(), Input.floats("x", x, 2, 4)),
                OrtRunner.run(scatterModel.toByteArray(), Input.floats("x", x, 2, 4)), 0f);
        Input[] gridInputs = {Input.floats("image", image, 1, 1, 3, 3), Input.floats("grid", grid, 1, 2, 2, 2)};
        assertSameOutputs(OrtRunner.run(gridConversion.model().toByteArray(), gridInputs),
                OrtRunner.run(gridModel.toByteArray(), gridInputs), 1e-6f);
    }

    @Test
    void outputAndAttributeChangesApply() throws OpsetConversionException {
        GraphProto graph = GraphProto.newBuilder().setName("changes")
                .addNode(node("BatchNormalization", List.of("x", "scale", "bias", "mean", "var"),
                        List.of("normalized", "running_mean", "running_var", "saved_mean", "saved_var")))
                .addNode(node("RoiAlign", List.of("normalized", "rois", "batch_indices"), List.of("pooled")))
                .addValueInfo(tensorInfo("saved_mean", ElementType.FLOAT, 3))
                .addOutput(tensorInfoWithoutShape("pooled", ElementType.FLOAT))
                .build();

        OpsetConversion conversion = OpsetConverter.convert(ModelFixtures.model(graph, 4, 9), 16);

        NodeProto batchNormalization = conversion.model().getGraph().getNode(0);
        NodeProto roiAlign = conversion.model().getGraph().getNode(1);
        assertThat(batchNormalization.getOutputList()).containsExactly("normalized");
        assertThat(conversion.model().getGraph().getValueInfoList()).isEmpty();
        assertThat(OpsetRewrites.stringAttribute(roiAlign, "coordinate_transformation_mode")).contains("output_half_pixel");
        assertThat(conversion.rewrittenNodesByOpType())
                .containsExactly(Map.entry("BatchNormalization", 1), Map.entry("RoiAlign", 1));

        GraphProto usedStatistics = graph.toBuilder()
                .addOutput(tensorInfoWithoutShape("saved_mean", ElementType.FLOAT))
                .build();
        assertThatThrownBy(() -> OpsetConverter.convert(ModelFixtures.model(usedStatistics, 4, 9), 16))
                .hasMessageContaining("BatchNormalization node 'batchnormalization_normalized' cannot cross opset 14")
                .hasMessageContaining("output 'saved_mean' is read");
    }

    @Test
    void sameVersionReturnsModelUnchanged() throws OpsetConversionException {
        ModelProto model = opset11Model();

        OpsetConversion conversion = OpsetConverter.convert(model, 11);

        assertThat(conversion.model()).isSameAs(model);
        assertThat(conversion.rewrittenNodesByOpType()).isEmpty();
    }

    @Test
    void unsupportedChangesAreRefusedWithOpAndVersions() {
        GraphProto groupNorm = GraphProto.newBuilder().setName("gn")
                .addNode(node("GroupNormalization", List.of("x", "scale", "bias"), List.of("y"),
                        intAttribute("num_groups", 2)))
                .addNode(node("FancyOp", List.of("y"), List.of("z")))
                .build();

        assertThatThrownBy(() -> OpsetConverter.convert(ModelFixtures.model(groupNorm, 8, 18), 21))
                .isInstanceOf(OpsetConversionException.class)
                .hasMessageContaining("from opset 18 to opset 21")
                .hasMessageContaining("GroupNormalization node 'groupnormalization_y' cannot cross opset 21")
                .hasMessageContaining("per channel instead of per group")
                .hasMessageContaining("FancyOp node 'fancyop_z': the operator is unknown");
        assertThatThrownBy(() -> OpsetConverter.convert(opset11Model(), 9))
                .hasMessageContaining("lowering the opset is not supported");
        assertThatThrownBy(() -> OpsetConverter.convert(opset11Model(), 30))
                .hasMessageContaining("target opsets above " + OpsetConverter.MAX_TARGET_VERSION);
        assertThatThrownBy(() -> OpsetConverter.convert(ModelFixtures.model(groupNorm, 3, 6), 13))
                .hasMessageContaining("source opsets below 7");
    }

    @Test
    void changesThatLoseInformationAreRefused() {
        GraphProto usedMask = GraphProto.newBuilder().setName("mask")
                .addNode(node("Dropout", List.of("x"), List.of("y", "mask")))
                .addNode(node("Cast", List.of("mask"), List.of("mask_float"), intAttribute("to", 1)))
                .build();
        GraphProto mixedResize = GraphProto.newBuilder().setName("mixed")
                .addInitializer(TensorCodec.fromFloats("scales", new long[] {4}, new float[] {1f, 1f, 0.5f, 2f}))
                .addNode(node("Resize", List.of("x", "scales"), List.of("y")))
                .build();
        GraphProto untypedClip = GraphProto.newBuilder().setName("clip")
                .addNode(node("Clip", List.of("x"), List.of("y"), floatAttribute("min", 0f)))
                .build();

        assertThatThrownBy(() -> OpsetConverter.convert(ModelFixtures.model(usedMask, 4, 9), 13))
                .hasMessageContaining("Dropout node 'dropout_y' cannot cross opset 10")
                .hasMessageContaining("output 'mask' is read");
        assertThatThrownBy(() -> OpsetConverter.convert(ModelFixtures.model(mixedResize, 5, 10), 11))
                .hasMessageContaining("Resize node 'resize_y' cannot cross opset 11")
                .hasMessageContaining("upsamples some axes and downsamples others");
        assertThatThrownBy(() -> OpsetConverter.convert(ModelFixtures.model(untypedClip, 4, 9), 11))
                .hasMessageContaining("Clip node 'clip_y' cannot cross opset 11")
                .hasMessageContaining("element type of input 'x' is unknown");
    }

    /**
     * x [2, 3, 4] through Unsqueeze/Squeeze/ReduceSum/ReduceMean/Split with attributes and
     * Softmax-family nodes on several axes, at opset 11 (IR 6).
     */
    static ModelProto opset11Model() {
        GraphProto graph = GraphProto.newBuilder().setName("opset11")
                .addNode(node("Unsqueeze", List.of("x"), List.of("u"), ints("axes", 0)))
                .addNode(node("Squeeze", List.of("u"), List.of("s"), ints("axes", 0)))
                .addNode(node("ReduceSum", List.of("s"), List.of("reduce_sum"), ints("axes", 2), intAttribute("keepdims", 1)))
                .addNode(node("ReduceMean", List.of("s"), List.of("reduce_mean"), ints("axes", -2), intAttribute("keepdims", 0)))
                .addNode(node("Split", List.of("s"), List.of("p1", "p2"), intAttribute("axis", 2), ints("split", 1, 3)))
                .addNode(node("Split", List.of("x"), List.of("q1", "q2", "q3"), intAttribute("axis", 1)))
                .addNode(NodeProto.newBuilder().setOpType("Softmax").setName("softmax_last")
                        .addInput("p2").addOutput("softmax_last").addAttribute(intAttribute("axis", -1)))
                .addNode(node("Softmax", List.of("s"), List.of("softmax_axis1"), intAttribute("axis", 1)))
                .addNode(node("LogSoftmax", List.of("s"), List.of("log_softmax_default")))
                .addNode(node("Hardmax", List.of("s"), List.of("hardmax_axis0"), intAttribute("axis", 0)))
                .addInput(tensorInfo("x", ElementType.FLOAT, 2, 3, 4))
                .addOutput(tensorInfoWithoutShape("reduce_sum", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("reduce_mean", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("p1", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("q1", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("q3", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("softmax_last", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("softmax_axis1", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("log_softmax_default", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("hardmax_axis0", ElementType.FLOAT))
                .build();
        return ModelFixtures.model(graph, 6, 11);
    }

    /**
     * x [1, 1, 4, 4] through opset-7 nodes that keep operands in attributes: BatchNormalization
     * with spatial, Upsample (nearest and linear), Slice, TopK, Clip, Pad with a value, and
     * Dropout with ratio and an unused mask.
     */
    static ModelProto opset7Model() {
        GraphProto graph = GraphProto.newBuilder().setName("opset7")
                .addInitializer(TensorCodec.fromFloats("bn_scale", new long[] {1}, new float[] {1.5f}))
                .addInitializer(TensorCodec.fromFloats("bn_bias", new long[] {1}, new float[] {0.25f}))
                .addInitializer(TensorCodec.fromFloats("bn_mean", new long[] {1}, new float[] {0.1f}))
                .addInitializer(TensorCodec.fromFloats("bn_var", new long[] {1}, new float[] {2f}))
                .addNode(node("BatchNormalization", List.of("x", "bn_scale", "bn_bias", "bn_mean", "bn_var"),
                        List.of("normalized"), intAttribute("spatial", 1), floatAttribute("epsilon", 1e-5f)))
                .addNode(node("Upsample", List.of("normalized"), List.of("upsampled"),
                        floats("scales", 1f, 1f, 2f, 2f), stringAttribute("mode", "nearest")))
                .addNode(node("Upsample", List.of("normalized"), List.of("upsampled_linear"),
                        floats("scales", 1f, 1f, 2f, 3f), stringAttribute("mode", "linear")))
                .addNode(node("Slice", List.of("upsampled"), List.of("sliced"),
                        ints("starts", 1, 0), ints("ends", 7, 100), ints("axes", 2, 3)))
                .addNode(node("TopK", List.of("sliced"), List.of("top_values", "top_indices"),
                        intAttribute("k", 3), intAttribute("axis", -1)))
                .addNode(node("Clip", List.of("top_values"), List.of("clipped"),
                        floatAttribute("min", -0.5f), floatAttribute("max", 0.75f)))
                .addNode(node("Pad", List.of("clipped"), List.of("padded"),
                        ints("pads", 0, 0, 1, 2, 0, 0, 2, 1), floatAttribute("value", 0.5f)))
                .addNode(node("Dropout", List.of("padded"), List.of("dropped", "mask"), floatAttribute("ratio", 0.3f)))
                .addInput(tensorInfo("x", ElementType.FLOAT, 1, 1, 4, 4))
                .addOutput(tensorInfoWithoutShape("dropped", ElementType.FLOAT))
                .addOutput(tensorInfoWithoutShape("top_indices", ElementType.INT64))
                .addOutput(tensorInfoWithoutShape("upsampled_linear", ElementType.FLOAT))
                .build();
        return ModelFixtures.model(graph, 4, 7);
    }

    private static TensorProto initializer(ModelProto model, String name) {
        return model.getGraph().getInitializerList().stream()
                .filter(tensor -> tensor.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No initializer '" + name + "' in "
                        + model.getGraph().getInitializerList().stream().map(TensorProto::getName).toList()));
    }

    static void assertSameOutputs(Map<String, float[]> actual, Map<String, float[]> expected, float tolerance) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, float[]> entry : expected.entrySet()) {
            float[] values = actual.get(entry.getKey());
            assertThat(values).as(entry.getKey()).hasSameSizeAs(entry.getValue());
            if (tolerance == 0f) {
                assertThat(values).as(entry.getKey()).containsExactly(entry.getValue());
            } else {
                assertThat(values).as(entry.getKey()).containsExactly(entry.getValue(), within(tolerance));
            }
        }
    }
}
