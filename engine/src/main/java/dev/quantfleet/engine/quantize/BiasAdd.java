package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.graph.WeightResolver;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.util.List;
import java.util.Optional;

/**
 * The Add that adds a constant float bias to a MatMul output, as the fused
 * {@code com.microsoft} MatMul operators take it: the MatMul output is read by this Add only and
 * is no graph output, and the other Add input (either order) is a constant float vector with
 * one value per output column.
 *
 * @param addIndex index of the Add in its graph
 * @param add      the Add node
 * @param bias     the value name of the bias input
 * @param output   the Add output, which the fused node writes
 */
record BiasAdd(int addIndex, NodeProto add, String bias, String output) {

    /** The Add found for a MatMul output, or the reason there is none. */
    record Search(Optional<BiasAdd> biasAdd, String reason) {
    }

    /** Looks for the bias Add of {@code matMulOutput}, a MatMul output with {@code columns} columns. */
    static Search find(GraphView view, String matMulOutput, long columns, long irVersion) {
        if (view.isGraphOutput(matMulOutput)) {
            return notFound("MatMul output '" + matMulOutput + "' is a graph output");
        }
        List<Integer> readers = view.consumers(matMulOutput);
        if (readers.size() != 1) {
            return notFound("MatMul output '" + matMulOutput + "' has " + readers.size()
                    + " readers; the fusion needs one Add as the only reader");
        }
        int addIndex = readers.get(0);
        NodeProto add = view.node(addIndex);
        boolean defaultDomain = add.getDomain().isEmpty() || add.getDomain().equals("ai.onnx");
        if (!defaultDomain || !add.getOpType().equals("Add") || add.getInputCount() != 2) {
            return notFound("MatMul output '" + matMulOutput + "' is read by " + add.getOpType() + " '"
                    + add.getName() + "', not by an Add of a bias");
        }
        String bias = add.getInput(0).equals(matMulOutput) ? add.getInput(1) : add.getInput(0);
        Optional<TensorProto> constant = WeightResolver.resolve(view, bias, irVersion)
                .map(WeightResolver.ConstantValue::tensor);
        boolean floatVector = constant.isPresent() && constant.get().getDataType() == ElementType.FLOAT.code()
                && constant.get().getDimsCount() == 1 && constant.get().getDims(0) == columns;
        if (!floatVector || bias.equals(matMulOutput)) {
            return notFound("Add '" + add.getName() + "' adds '" + bias + "', which is not a constant float "
                    + "vector of " + columns + " values");
        }
        return new Search(Optional.of(new BiasAdd(addIndex, add, bias, add.getOutput(0))), null);
    }

    private static Search notFound(String reason) {
        return new Search(Optional.empty(), reason);
    }
}
