package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeSelectionTest {

    private static final List<String> NODE_NAMES = List.of("/Cast", "/Constant", "/Constant_1", "/Mul", "/Sub",
            "/Unsqueeze", "/encoder/layer.0/output/dense/MatMul", "/encoder/layer.0/output/LayerNorm/Add",
            "/encoder/layer.1/output/dense/MatMul");

    @Test
    void overrideHintListsMostSimilarNames() {
        QuantConfig config = QuantConfig.builder()
                .nodeOverrides(Map.of("\\encoder/layer.0/output/dense/MatMul", NodeOverride.keepInFloat()))
                .build();

        assertThatThrownBy(() -> QdqQuantizer.validateNodeSelection(model(), config))
                .isInstanceOf(QuantizationException.class)
                .hasMessage("nodeOverrides names node '\\encoder/layer.0/output/dense/MatMul', which does not exist; "
                        + "the most similar node names are [/encoder/layer.0/output/dense/MatMul, "
                        + "/encoder/layer.1/output/dense/MatMul, /encoder/layer.0/output/LayerNorm/Add, /Constant, "
                        + "/Constant_1]");
    }

    @Test
    void globHintComparesTextBeforeWildcard() {
        QuantConfig config = QuantConfig.builder().nodesToExclude(List.of("encoder/layer.0/*")).build();

        assertThatThrownBy(() -> QdqQuantizer.validateNodeSelection(model(), config))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("nodesToExclude entry 'encoder/layer.0/*' matches no node; the most similar node "
                        + "names are [/encoder/layer.0/output/LayerNorm/Add, /encoder/layer.0/output/dense/MatMul, "
                        + "/encoder/layer.1/output/dense/MatMul,");
    }

    @Test
    void matchingNamesPass() {
        QuantConfig config = QuantConfig.builder().nodesToExclude(List.of("/encoder/*", "/Cast"))
                .nodeOverrides(Map.of("/Mul", NodeOverride.keepInFloat())).build();

        QdqQuantizer.validateNodeSelection(model(), config);

        assertThat(NodeSelection.of(model(), config).exclusionReason("/Mul")).contains("nodeOverrides keepFloat");
    }

    private static ModelProto model() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("names");
        for (String name : NODE_NAMES) {
            graph.addNode(NodeProto.newBuilder().setName(name).setOpType("Identity").addInput("x").addOutput(name));
        }
        return ModelProto.newBuilder().setIrVersion(10).setGraph(graph).build();
    }
}
