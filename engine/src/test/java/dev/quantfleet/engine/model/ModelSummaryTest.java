package dev.quantfleet.engine.model;

import static dev.quantfleet.engine.model.ModelFixtures.graphAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.intAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.node;
import static dev.quantfleet.engine.model.ModelFixtures.randomFloats;
import static dev.quantfleet.engine.model.ModelFixtures.tensorAttribute;
import static dev.quantfleet.engine.model.ModelFixtures.tensorInfo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quantfleet.engine.model.ModelSummary.ValueSummary;
import dev.quantfleet.engine.model.ModelSummary.WeightLocations;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.OperatorSetIdProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

class ModelSummaryTest {

    @Test
    void summaryCountsWeightsByOrigin() {
        ModelSummary summary = ModelSummary.of(model());

        assertThat(summary.irVersion()).isEqualTo(9);
        assertThat(summary.opsetVersions()).containsExactly(
                java.util.Map.entry("ai.onnx", 19L), java.util.Map.entry("com.microsoft", 1L));
        assertThat(summary.producerName()).isEqualTo("exporter");
        assertThat(summary.inputs()).containsExactly(
                new ValueSummary("image", "float", List.of("batch", "3", "8", "8")));
        assertThat(summary.outputs()).containsExactly(new ValueSummary("out", "float", null));
        assertThat(summary.weights()).isEqualTo(new WeightLocations(2, 1, 1));
        assertThat(summary.subgraphCount()).isEqualTo(2);
        assertThat(summary.nodeCount()).isEqualTo(10);
        assertThat(summary.opTypeCounts().keySet()).containsExactly(
                "Constant", "Relu", "Cast", "Conv", "Identity", "If", "MatMul", "com.microsoft::FusedGelu");
        assertThat(summary.opTypeCounts().get("Constant")).isEqualTo(2);
        // Relu has no QDQ handler: ONNX Runtime folds it into the quantized producer instead.
        assertThat(summary.quantizableOpCounts()).containsExactly(
                java.util.Map.entry("Conv", 1), java.util.Map.entry("MatMul", 1));
        // conv_w 4*3*3*3=108 floats, conv_b 4, half 16 float16, int4 5 values, matmul Constant 4*2=8, shape Constant 2 int64.
        assertThat(summary.parameterCount()).isEqualTo(108 + 4 + 16 + 5 + 8 + 2);
        assertThat(summary.parameterBytes()).isEqualTo(108 * 4 + 4 * 4 + 16 * 2 + 3 + 8 * 4 + 2 * 8);
    }

    @Test
    void renderListsEverySection() {
        String text = ModelSummary.of(model()).render();

        assertThat(text)
                .contains("Producer:     exporter 1.2")
                .contains("IR version:   9")
                .contains("Opsets:       ai.onnx 19, com.microsoft 1")
                .contains("  image: float [batch, 3, 8, 8]")
                .contains("  out: float [rank unknown]")
                .contains("Nodes:        10 in 8 op types, 2 subgraphs")
                .contains("Weights:      2 from initializers, 1 from Constant nodes, 1 folded through Cast")
                .contains("Quantizable:  2 nodes");
        assertThat(text.indexOf("Constant")).isLessThan(text.indexOf("Conv "));
    }

    @Test
    void initializerListedAsInputIsNotAnInput() {
        GraphProto graph = GraphProto.newBuilder()
                .addInitializer(TensorCodec.fromFloats("w", new long[] {2}, new float[] {1f, 2f}))
                .addInput(tensorInfo("x", ElementType.FLOAT, 2))
                .addInput(tensorInfo("w", ElementType.FLOAT, 2))
                .addNode(node("Add", List.of("x", "w"), List.of("y")))
                .build();

        ModelSummary summary = ModelSummary.of(ModelFixtures.model(graph, 3, 7));

        assertThat(summary.inputs()).extracting(ValueSummary::name).containsExactly("x");
        assertThat(summary.weights()).isEqualTo(new WeightLocations(1, 0, 0));
    }

    /**
     * Conv weights in initializers, a MatMul weight in a Constant node, a float16 initializer
     * behind a Cast, an int4 initializer, an If with two branches and a contrib-domain node.
     */
    private static ModelProto model() {
        Random random = new Random(4);
        TensorProto half = TensorProto.newBuilder().setName("half").setDataType(ElementType.FLOAT16.code())
                .addDims(16).setRawData(com.google.protobuf.ByteString.copyFrom(new byte[32])).build();
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(node("Identity", List.of("relu"), List.of("then_out")))
                .addOutput(tensorInfo("then_out", ElementType.FLOAT))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(node("Relu", List.of("relu"), List.of("else_out")))
                .addOutput(tensorInfo("else_out", ElementType.FLOAT))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("summary")
                .addInitializer(TensorCodec.fromFloats("conv_w", new long[] {4, 3, 3, 3}, randomFloats(random, 108)))
                .addInitializer(TensorCodec.fromFloats("conv_b", new long[] {4}, randomFloats(random, 4)))
                .addInitializer(half)
                .addInitializer(TensorCodec.fromLongs("packed", new long[] {5}, ElementType.INT4, new long[] {1, 2, 3, 4, 5}))
                .addNode(node("Conv", List.of("image", "conv_w", "conv_b"), List.of("conv")))
                .addNode(node("Relu", List.of("conv"), List.of("relu")))
                .addNode(node("Constant", List.of(), List.of("matmul_w"),
                        tensorAttribute("value", TensorCodec.fromFloats("matmul_w", new long[] {4, 2}, randomFloats(random, 8)))))
                .addNode(node("Constant", List.of(), List.of("shape"),
                        tensorAttribute("value", TensorCodec.fromLongs("shape", new long[] {2}, ElementType.INT64, new long[] {-1, 4}))))
                .addNode(node("Cast", List.of("half"), List.of("half_float"), intAttribute("to", ElementType.FLOAT.code())))
                .addNode(node("If", List.of("flag"), List.of("branch"),
                        graphAttribute("then_branch", thenBranch), graphAttribute("else_branch", elseBranch)))
                .addNode(node("MatMul", List.of("branch", "matmul_w"), List.of("projected")))
                .addNode(NodeProto.newBuilder().setOpType("FusedGelu").setDomain("com.microsoft")
                        .addInput("projected").addInput("half_float").addOutput("out"))
                .addInput(tensorInfo("image", ElementType.FLOAT, "batch", 3, 8, 8))
                .addOutput(ModelFixtures.tensorInfoWithoutShape("out", ElementType.FLOAT))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(9)
                .setProducerName("exporter")
                .setProducerVersion("1.2")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(19))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
                .setGraph(graph)
                .build();
    }
}
