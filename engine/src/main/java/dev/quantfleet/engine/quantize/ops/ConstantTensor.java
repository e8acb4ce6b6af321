package dev.quantfleet.engine.quantize.ops;

import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.List;

/**
 * A node input whose value is known before run time: an initializer, the output of a Constant
 * node, or a Cast of one, folded into {@code tensor}.
 *
 * @param value         the input name the node reads
 * @param tensor        the folded value
 * @param producerNodes indices of the Constant and Cast nodes that produce {@code value}, empty for an initializer
 */
public record ConstantTensor(String value, TensorProto tensor, List<Integer> producerNodes) {

    public ConstantTensor {
        producerNodes = List.copyOf(producerNodes);
    }

    public long[] dims() {
        return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    public int rank() {
        return tensor.getDimsCount();
    }

    public float[] floats() {
        return TensorCodec.toFloats(tensor);
    }
}
