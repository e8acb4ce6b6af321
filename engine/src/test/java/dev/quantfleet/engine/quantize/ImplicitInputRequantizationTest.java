package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.calibration.Range;
import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.OrtRunner;
import dev.quantfleet.engine.model.OrtRunner.Input;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ImplicitInputRequantizationTest {

    /**
     * {@code y = Reshape(DQ(Q(x)))} with scale 0.1 and zero point 128, then {@code c ? Flatten(y) : y}, both
     * branches reading y from the main graph. {@code readInBranches} false makes the branches read a copy instead.
     */
    private static ModelProto dequantizedReshapeIntoIf(boolean readInBranches) {
        String branchInput = readInBranches ? "y" : "y_copy";
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(TinyModels.node("Flatten", "flatten", new String[] {branchInput}, "t"))
                .addOutput(TinyModels.tensor("t", ElementType.FLOAT, 1L, 4L))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(TinyModels.node("Identity", "keep", new String[] {branchInput}, "e"))
                .addOutput(TinyModels.tensor("e", ElementType.FLOAT, 1L, 4L))
                .build();
        NodeProto conditional = TinyModels.node("If", "choose", new String[] {"c"}, "out").toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(thenBranch))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(elseBranch))
                .build();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("main")
                .addInput(TinyModels.tensor("x", ElementType.FLOAT, 2L, 2L))
                .addInput(TinyModels.tensor("c", ElementType.BOOL))
                .addInitializer(TensorCodec.scalar("scale", ElementType.FLOAT, 0.1))
                .addInitializer(TensorCodec.scalar("zero_point", ElementType.UINT8, 128))
                .addInitializer(TensorCodec.fromLongs("shape", new long[] {2}, ElementType.INT64, new long[] {1, 4}))
                .addNode(TinyModels.node("QuantizeLinear", "x_q", new String[] {"x", "scale", "zero_point"}, "x_quantized"))
                .addNode(TinyModels.node("DequantizeLinear", "x_dq", new String[] {"x_quantized", "scale", "zero_point"},
                        "x_dequantized"))
                .addNode(TinyModels.node("Reshape", "reshape", new String[] {"x_dequantized", "shape"}, "y"));
        if (!readInBranches) {
            graph.addNode(TinyModels.node("Identity", "copy", new String[] {"y"}, "y_copy"));
        }
        graph.addNode(conditional).addOutput(TinyModels.tensor("out", ElementType.FLOAT, 1L, 4L));
        return TinyModels.model(graph.build()).toBuilder().setIrVersion(7).clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).build();
    }

    @Test
    void requantizesReshapeReadByBranches() {
        ImplicitInputRequantization.Outcome outcome = ImplicitInputRequantization.apply(dequantizedReshapeIntoIf(true));

        GraphView view = new GraphView(outcome.model().getGraph());
        assertThat(outcome.insertedPairs()).isEqualTo(1);
        NodeProto reshape = view.node(view.producer("y_float").orElseThrow());
        assertThat(reshape.getName()).isEqualTo("reshape");
        NodeProto requantize = view.node(view.consumers("y_float").get(0));
        assertThat(requantize.getOpType()).isEqualTo("QuantizeLinear");
        assertThat(requantize.getInputList()).containsExactly("y_float", "scale", "zero_point");
        NodeProto dequantize = view.node(view.producer("y").orElseThrow());
        assertThat(dequantize.getOpType()).isEqualTo("DequantizeLinear");
        assertThat(dequantize.getInputList()).containsExactly(requantize.getOutput(0), "scale", "zero_point");
    }

    @Test
    void requantizedModelKeepsGridValues() throws Exception {
        // ONNX Runtime aborts the JVM on the model before the rewrite; after it, the values are those of the grid:
        // 0.04 -> 0.0, 0.26 -> 0.3, -0.33 -> -0.3, 1.0 -> 1.0
        ModelProto requantized = ImplicitInputRequantization.apply(dequantizedReshapeIntoIf(true)).model();
        float[] x = {0.04f, 0.26f, -0.33f, 1.0f};

        for (boolean condition : new boolean[] {true, false}) {
            float[] out = OrtRunner.run(ModelIo.toBytes(requantized),
                    Input.floats("x", x, 2, 2), Input.boolScalar("c", condition)).get("out");

            assertThat(out[0]).isCloseTo(0.0f, within(1e-6f));
            assertThat(out[1]).isCloseTo(0.3f, within(1e-6f));
            assertThat(out[2]).isCloseTo(-0.3f, within(1e-6f));
            assertThat(out[3]).isCloseTo(1.0f, within(1e-6f));
        }
    }

    @Test
    void leavesModelWithoutBranchReadsUnchanged() {
        ModelProto model = dequantizedReshapeIntoIf(false);

        ImplicitInputRequantization.Outcome outcome = ImplicitInputRequantization.apply(model);

        assertThat(outcome.insertedPairs()).isZero();
        assertThat(outcome.model()).isSameAs(model);
    }

    @Test
    void quantizerAddsThePairBehindAnExcludedReshape() throws Exception {
        // a 1x1 Conv with weights 0.5 and -0.25 gets a quantized output; the Reshape after it is excluded
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(TinyModels.node("Flatten", "flatten", new String[] {"y"}, "t"))
                .addOutput(TinyModels.tensor("t", ElementType.FLOAT, 1L, 8L))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(TinyModels.node("Identity", "keep", new String[] {"y"}, "e"))
                .addOutput(TinyModels.tensor("e", ElementType.FLOAT, 1L, 8L))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("main")
                .addInput(TinyModels.tensor("x", ElementType.FLOAT, 1L, 1L, 2L, 2L))
                .addInput(TinyModels.tensor("c", ElementType.BOOL))
                .addInitializer(TensorCodec.fromFloats("W", new long[] {2, 1, 1, 1}, new float[] {0.5f, -0.25f}))
                .addInitializer(TensorCodec.fromLongs("shape", new long[] {2}, ElementType.INT64, new long[] {1, 8}))
                .addNode(TinyModels.node("Conv", "conv", new String[] {"x", "W"}, "h"))
                .addNode(TinyModels.node("Reshape", "reshape", new String[] {"h", "shape"}, "y"))
                .addNode(TinyModels.node("If", "choose", new String[] {"c"}, "out").toBuilder()
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                                .setType(AttributeProto.AttributeType.GRAPH).setG(thenBranch))
                        .addAttribute(AttributeProto.newBuilder().setName("else_branch")
                                .setType(AttributeProto.AttributeType.GRAPH).setG(elseBranch)))
                .addOutput(TinyModels.tensor("out", ElementType.FLOAT, 1L, 8L))
                .build();
        ModelProto model = TinyModels.model(graph);
        ActivationRanges ranges = ActivationRanges.of(Map.of("x", new Range(-1f, 1f), "h", new Range(-0.5f, 0.5f)));
        QuantConfig config = Presets.byName("a8w8").toBuilder().nodesToExclude(List.of("reshape")).build();

        ModelProto quantized = QdqQuantizer.quantize(model, config, ranges).model();

        GraphView view = new GraphView(quantized.getGraph());
        NodeProto reshape = view.node(view.producer("y_float").orElseThrow());
        assertThat(reshape.getName()).isEqualTo("reshape");
        assertThat(view.node(view.producer(reshape.getInput(0)).orElseThrow()).getOpType()).isEqualTo("DequantizeLinear");
        assertThat(view.node(view.producer("y").orElseThrow()).getOpType()).isEqualTo("DequantizeLinear");
        float[] x = {0.2f, -0.4f, 0.8f, 0.1f};
        float[] expected = {0.1f, -0.2f, 0.4f, 0.05f, -0.05f, 0.1f, -0.2f, -0.025f};
        float[] out = OrtRunner.run(ModelIo.toBytes(quantized),
                Input.floats("x", x, 1, 1, 2, 2), Input.boolScalar("c", true)).get("out");
        for (int index = 0; index < expected.length; index++) {
            assertThat(out[index]).as("out[%d]", index).isCloseTo(expected[index], within(0.01f));
        }
    }
}
