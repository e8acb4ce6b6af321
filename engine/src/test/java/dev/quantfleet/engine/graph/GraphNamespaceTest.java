package dev.quantfleet.engine.graph;

import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.OrtRunner;
import dev.quantfleet.engine.model.OrtRunner.Input;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphNamespaceTest {

    /** {@code h = x * W; y = c ? h + x : h}, the If's then branch reading x and h from the outer scope. */
    private static ModelProto conditionalModel() {
        GraphProto thenBranch = GraphProto.newBuilder().setName("then")
                .addNode(TinyModels.node("Add", "add", new String[] {"h", "x"}, "sum"))
                .addOutput(TinyModels.tensor("sum", ElementType.FLOAT, 2L))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder().setName("else")
                .addNode(TinyModels.node("Identity", "keep", new String[] {"h"}, "same"))
                .addOutput(TinyModels.tensor("same", ElementType.FLOAT, 2L))
                .build();
        NodeProto conditional = TinyModels.node("If", "choose", new String[] {"c"}, "y").toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(thenBranch))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(elseBranch))
                .build();
        GraphProto graph = GraphProto.newBuilder().setName("main")
                .addInput(TinyModels.tensor("x", ElementType.FLOAT, 2L))
                .addInput(TinyModels.tensor("c", ElementType.BOOL))
                .addInitializer(TensorCodec.fromFloats("W", new long[] {2}, new float[] {3, -2}))
                .addNode(TinyModels.node("Mul", "scale", new String[] {"x", "W"}, "h"))
                .addNode(conditional)
                .addOutput(TinyModels.tensor("y", ElementType.FLOAT, 2L))
                .build();
        return TinyModels.model(graph);
    }

    @Test
    void prefixesEveryNameInEveryScope() {
        GraphNamespace namespace = new GraphNamespace("p/", Map.of("x", "audio"));

        GraphProto copy = namespace.copy(conditionalModel().getGraph());

        assertThat(copy.getName()).isEqualTo("p/main");
        assertThat(copy.getInputList()).extracting(value -> value.getName()).containsExactly("audio", "p/c");
        assertThat(copy.getInitializer(0).getName()).isEqualTo("p/W");
        assertThat(copy.getNode(0).getName()).isEqualTo("p/scale");
        assertThat(copy.getNode(0).getInputList()).containsExactly("audio", "p/W");
        assertThat(copy.getNode(1).getName()).isEqualTo("p/choose");
        assertThat(copy.getOutput(0).getName()).isEqualTo("p/y");
        GraphProto thenBranch = copy.getNode(1).getAttribute(0).getG();
        assertThat(thenBranch.getName()).isEqualTo("p/then");
        assertThat(thenBranch.getNode(0).getInputList()).containsExactly("p/h", "audio");
        assertThat(thenBranch.getOutput(0).getName()).isEqualTo("p/sum");
        assertThat(copy.getNode(1).getAttribute(1).getG().getNode(0).getInputList()).containsExactly("p/h");
    }

    @Test
    void copyComputesWhatTheOriginalComputes() throws Exception {
        ModelProto original = conditionalModel();
        ModelProto renamed = original.toBuilder()
                .setGraph(new GraphNamespace("p/", Map.of("x", "audio")).copy(original.getGraph()))
                .build();
        float[] x = {1.5f, 4f};

        for (boolean condition : new boolean[] {true, false}) {
            float[] expected = OrtRunner.run(ModelIo.toBytes(original), Input.floats("x", x, 2),
                    Input.boolScalar("c", condition)).get("y");
            float[] actual = OrtRunner.run(ModelIo.toBytes(renamed), Input.floats("audio", x, 2),
                    Input.boolScalar("p/c", condition)).get("p/y");

            assertThat(actual).containsExactly(expected);
        }
        assertThat(OrtRunner.run(ModelIo.toBytes(renamed), Input.floats("audio", x, 2),
                Input.boolScalar("p/c", true)).get("p/y")).containsExactly(6f, -4f);
    }

    @Test
    void emptyNamesStayEmpty() {
        GraphNamespace namespace = new GraphNamespace("p/", Map.of());

        assertThat(namespace.rename("")).isEmpty();
        assertThat(namespace.rename("a")).isEqualTo("p/a");
        assertThatThrownBy(() -> new GraphNamespace("", Map.of())).hasMessageContaining("prefix is empty");
    }
}
