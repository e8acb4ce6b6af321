package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HigherPrecisionNodesTest {

    @TempDir
    Path folder;

    @Test
    void countsFloatMatMulsOfMiniLm() {
        MiniLmFiles files = MiniLmFiles.extract(folder);
        ModelProto fp32 = files.loadFp32Model();

        ModelProto dynamic = QdqQuantizer.quantize(fp32, Presets.byName("dynamic-int8"), ActivationRanges.none()).model();

        assertThat(HigherPrecisionNodes.count(fp32)).isEqualTo(48);
        // ONNX Runtime's dynamic quantizer and this engine's Dynamic format both leave the 12
        // attention MatMuls of two activations (Q·Kᵀ and softmax·V, 2 per layer) in float
        assertThat(HigherPrecisionNodes.count(MiniLmFiles.loadModel(files.int8ReferenceModel()))).isEqualTo(12);
        assertThat(HigherPrecisionNodes.count(dynamic)).isEqualTo(12);
    }

    @Test
    void dequantizedInputsCountBy8Or16Bits() {
        ModelProto model = ModelProto.newBuilder().setGraph(GraphProto.newBuilder()
                .addInitializer(zeroPoint("zero_point_8", TensorProto.DataType.UINT8_VALUE))
                .addInitializer(zeroPoint("zero_point_16", TensorProto.DataType.UINT16_VALUE))
                .addNode(node("DequantizeLinear", "dq8", "x8", "scale", "zero_point_8"))
                .addNode(node("DequantizeLinear", "dq16", "x16", "scale", "zero_point_16"))
                .addNode(node("MatMul", "in_8_bits", "dq8", "w"))
                .addNode(node("MatMul", "in_16_bits", "dq16", "w"))
                .addNode(node("MatMul", "in_float", "a", "w"))
                .addNode(node("Gemm", "gemm_in_float", "a", "w"))
                .addNode(node("MatMulInteger", "integer", "a", "w")))
                .build();

        assertThat(HigherPrecisionNodes.count(model)).isEqualTo(3);
    }

    private static TensorProto zeroPoint(String name, int dataType) {
        return TensorProto.newBuilder().setName(name).setDataType(dataType).build();
    }

    /** Builds a node whose single output is named {@code output}. */
    private static NodeProto node(String opType, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.build();
    }
}
