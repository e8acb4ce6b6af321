package dev.quantfleet.engine.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SensitivityProbesTest {

    /** Flat names as a Paddle-to-ONNX export writes them, in graph order; sorting by name would mix them. */
    private static final List<String> GRAPH_ORDER = List.of("p2o.Conv.0", "p2o.Relu.0", "p2o.Conv.1", "p2o.Conv.2",
            "p2o.Add.0", "p2o.Conv.10", "p2o.MatMul.0", "p2o.Conv.11");

    private static List<String> quantized() {
        List<String> nodes = new ArrayList<>(List.of("p2o.Conv.0", "p2o.Conv.1", "p2o.Conv.2", "p2o.Conv.10",
                "p2o.MatMul.0", "p2o.Conv.11"));
        nodes.sort(null);
        return nodes;
    }

    @Test
    void nodesFitWithoutGrouping() {
        Map<String, List<String>> units = SensitivityProbes.units(quantized(), 6, 6, GRAPH_ORDER);

        assertThat(units).hasSize(6);
        assertThat(units.get("p2o.Conv.10")).containsExactly("p2o.Conv.10");
    }

    @Test
    void flatNamesAreCutIntoRunsOfNeighbours() {
        Map<String, List<String>> units = SensitivityProbes.units(quantized(), 6, 3, GRAPH_ORDER);

        assertThat(units).hasSize(3);
        assertThat(units.values()).containsExactly(
                List.of("p2o.Conv.0", "p2o.Conv.1"),
                List.of("p2o.Conv.10", "p2o.Conv.2"),
                List.of("p2o.Conv.11", "p2o.MatMul.0"));
        assertThat(units.keySet()).first().isEqualTo("p2o.Conv.0 to p2o.Conv.1 (2 nodes)");
    }

    @Test
    void unevenRunsKeepEveryNodeOnce() {
        Map<String, List<String>> units = SensitivityProbes.units(quantized(), 6, 4, GRAPH_ORDER);

        assertThat(units).hasSize(4);
        assertThat(units.values().stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(quantized());
        assertThat(units).containsEntry("p2o.Conv.0", List.of("p2o.Conv.0"));
    }

    @Test
    void oneTrialStillGivesTwoRuns() {
        Map<String, List<String>> units = SensitivityProbes.units(quantized(), 6, 1, GRAPH_ORDER);

        assertThat(units).hasSize(2);
        assertThat(units.values()).first().isEqualTo(List.of("p2o.Conv.0", "p2o.Conv.1", "p2o.Conv.2"));
    }

    @Test
    void nodesOutsideTheGraphOrderComeLast() {
        List<String> nodes = List.of("body.Conv.0", "p2o.Conv.0", "p2o.Conv.1");

        Map<String, List<String>> units = SensitivityProbes.units(nodes, 3, 2, GRAPH_ORDER);

        assertThat(units.values()).containsExactly(List.of("p2o.Conv.0"), List.of("body.Conv.0", "p2o.Conv.1"));
    }

    @Test
    void pathNamesCoarsenBeforeRuns() {
        List<String> nodes = List.of("/layer.0/attention/MatMul", "/layer.0/attention/Add", "/layer.0/ffn/MatMul",
                "/layer.1/attention/MatMul", "/layer.1/ffn/MatMul");

        Map<String, List<String>> units = SensitivityProbes.units(nodes, 5, 2, List.of());

        assertThat(units.keySet()).containsExactly("/layer.0", "/layer.1");
    }
}
