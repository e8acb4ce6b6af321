package dev.quantfleet.engine.graph;

import static dev.quantfleet.engine.model.ModelFixtures.floatAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.ints;
import static dev.quantfleet.engine.model.ModelFixtures.node;
import static dev.quantfleet.engine.model.ModelFixtures.randomFloats;
import static dev.quantfleet.engine.model.ModelFixtures.tensorAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.tensorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.model.ModelFixtures;
import dev.quantfleet.engine.model.OrtRunner;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

class BatchNormFoldingTest {

    private static final int CHANNELS = 4;
    private static final long[] INPUT_SHAPE = {1, 3, 6, 6};

    /** x -> Conv(w, [b]) -> conv_out -> BatchNormalization -> normalized -> Relu -> y, weights as initializers. */
    private static GraphProto.Builder convNormRelu(Random random, boolean withBias) {
        GraphProto.Builder graph = GraphProto.newBuilder()
                .addInput(tensorInfo("x", ElementType.FLOAT, 1, 3, 6, 6))
                .addOutput(tensorInfo("y", ElementType.FLOAT, 1, CHANNELS, 6, 6))
                .addInitializer(TensorCodec.fromFloats("w", new long[] {CHANNELS, 3, 3, 3}, randomFloats(random, CHANNELS * 27)))
                .addInitializer(TensorCodec.fromFloats("scale", new long[] {CHANNELS}, new float[] {2f, 0.05f, -1.5f, 30f}))
                .addInitializer(TensorCodec.fromFloats("shift", new long[] {CHANNELS}, new float[] {0.1f, -0.2f, 0.3f, 1f}))
                .addInitializer(TensorCodec.fromFloats("mean", new long[] {CHANNELS}, new float[] {0.5f, -1f, 0f, 2f}))
                .addInitializer(TensorCodec.fromFloats("var", new long[] {CHANNELS}, new float[] {1f, 0.01f, 4f, 0.5f}));
        List<String> convInputs = withBias ? List.of("x", "w", "b") : List.of("x", "w");
        if (withBias) {
            graph.addInitializer(TensorCodec.fromFloats("b", new long[] {CHANNELS}, new float[] {0.3f, -0.1f, 0f, 0.7f}));
        }
        return graph
                .addNode(node("Conv", convInputs, List.of("conv_out"), ints("pads", 1, 1, 1, 1)).toBuilder().setName("conv"))
                .addNode(node("BatchNormalization", List.of("conv_out", "scale", "shift", "mean", "var"),
                        List.of("normalized"), floatAttribute("epsilon", 1e-3f)).toBuilder().setName("norm"))
                .addNode(node("Relu", List.of("normalized"), List.of("y")));
    }

    private static ModelProto model(GraphProto.Builder graph) {
        return ModelFixtures.model(graph.build(), 8, 13);
    }

    private static float[] run(ModelProto model, float[] input) throws OrtException {
        return OrtRunner.run(model.toByteArray(), OrtRunner.Input.floats("x", input, INPUT_SHAPE)).get("y");
    }

    @Test
    void foldedConvComputesTheSameOutput() throws OrtException {
        Random random = new Random(31);
        ModelProto model = model(convNormRelu(random, true));
        float[] input = randomFloats(random, 3 * 36);

        BatchNormFolding.Outcome outcome = BatchNormFolding.fold(model);

        GraphProto graph = outcome.model().getGraph();
        assertThat(graph.getNodeList()).extracting(NodeProto::getOpType).containsExactly("Conv", "Relu");
        NodeProto conv = graph.getNode(0);
        assertThat(conv.getOutput(0)).isEqualTo("normalized");
        assertThat(conv.getInputList()).hasSize(3).doesNotContain("w", "b");
        assertThat(graph.getInitializerList()).extracting(TensorProto::getName)
                .as("float constants that only the pair read are removed")
                .doesNotContain("w", "b", "scale", "shift", "mean", "var")
                .containsExactlyInAnyOrder(conv.getInput(1), conv.getInput(2));
        assertThat(outcome.foldedPairs()).containsExactly(new BatchNormFolding.FoldedPair("conv", "norm", "normalized"));
        assertThat(outcome.normalizationsByOutput()).containsEntry("normalized", "norm");
        float[] expected = run(model, input);
        float[] actual = run(outcome.model(), input);
        for (int index = 0; index < expected.length; index++) {
            assertThat(actual[index]).as("y[%d]", index).isCloseTo(expected[index], within(1e-4f * (1 + Math.abs(expected[index]))));
        }
    }

    @Test
    void convWithoutBiasGetsShiftAsBias() throws OrtException {
        Random random = new Random(32);
        ModelProto model = model(convNormRelu(random, false));
        float[] input = randomFloats(random, 3 * 36);

        BatchNormFolding.Outcome outcome = BatchNormFolding.fold(model);

        NodeProto conv = outcome.model().getGraph().getNode(0);
        TensorProto bias = outcome.model().getGraph().getInitializerList().stream()
                .filter(tensor -> tensor.getName().equals(conv.getInput(2))).findFirst().orElseThrow();
        // Channel 0: (0 - mean) * scale / sqrt(var + epsilon) + shift = -0.5 * 2 / sqrt(1.001) + 0.1.
        assertThat(TensorCodec.toFloats(bias)[0]).isCloseTo((float) (-1 / Math.sqrt(1.001) + 0.1), within(1e-6f));
        float[] expected = run(model, input);
        float[] actual = run(outcome.model(), input);
        for (int index = 0; index < expected.length; index++) {
            assertThat(actual[index]).as("y[%d]", index).isCloseTo(expected[index], within(1e-4f * (1 + Math.abs(expected[index]))));
        }
    }

    @Test
    void constantNodeWeightsAreFolded() {
        Random random = new Random(33);
        GraphProto.Builder graph = convNormRelu(random, false);
        TensorProto weight = graph.getInitializer(0);
        graph.removeInitializer(0);
        graph.addNode(0, node("Constant", List.of(), List.of("w"), tensorAttribute("value", weight)));

        BatchNormFolding.Outcome outcome = BatchNormFolding.fold(model(graph));

        assertThat(outcome.model().getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .containsExactly("Conv", "Relu");
        assertThat(outcome.foldedPairs()).hasSize(1);
    }

    @Test
    void convOutputWithAnotherReaderStays() {
        Random random = new Random(34);
        GraphProto.Builder graph = convNormRelu(random, true)
                .addNode(node("Relu", List.of("conv_out"), List.of("raw")))
                .addOutput(tensorInfo("raw", ElementType.FLOAT, 1, CHANNELS, 6, 6));
        ModelProto model = model(graph);

        BatchNormFolding.Outcome outcome = BatchNormFolding.fold(model);

        assertThat(outcome.foldedPairs()).isEmpty();
        assertThat(outcome.model()).isSameAs(model);
    }

    @Test
    void normalizationWithComputedMeanStays() {
        Random random = new Random(35);
        GraphProto.Builder graph = convNormRelu(random, true);
        graph.getInitializerBuilderList().stream().filter(tensor -> tensor.getName().equals("mean")).findFirst()
                .orElseThrow().setName("mean_source");
        graph.addNode(0, node("Identity", List.of("mean_source_input"), List.of("mean")))
                .addInput(tensorInfo("mean_source_input", ElementType.FLOAT, CHANNELS));

        BatchNormFolding.Outcome outcome = BatchNormFolding.fold(model(graph));

        assertThat(outcome.foldedPairs()).as("mean comes from a graph input").isEmpty();
    }

    @Test
    void filterKeepsRejectedConvs() {
        ModelProto model = model(convNormRelu(new Random(36), true));

        BatchNormFolding.Outcome outcome = BatchNormFolding.fold(model, conv -> !conv.getName().equals("conv"));

        assertThat(outcome.foldedPairs()).isEmpty();
        assertThat(outcome.model().getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .containsExactly("Conv", "BatchNormalization", "Relu");
    }
}
