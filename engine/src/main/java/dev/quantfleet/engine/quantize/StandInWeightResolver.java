package dev.quantfleet.engine.quantize;

import dev.quantfleet.engine.graph.GraphView;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Temporary stand-in for {@code dev.quantfleet.engine.graph.WeightResolver}, with the same
 * contract, until that class is merged: folds initializers, Constant nodes and Cast (or Identity)
 * of constants into an inline tensor.
 */
final class StandInWeightResolver {

    record ConstantValue(TensorProto tensor, List<Integer> producerNodes) {
    }

    private StandInWeightResolver() {
    }

    static Optional<ConstantValue> resolve(GraphView view, String value) {
        if (value.isEmpty() || view.isGraphInput(value)) {
            return Optional.empty();
        }
        Optional<TensorProto> initializer = view.initializer(value);
        if (initializer.isPresent()) {
            boolean overridable = view.graph().getInputList().stream().anyMatch(input -> input.getName().equals(value));
            return overridable ? Optional.empty() : Optional.of(new ConstantValue(initializer.get(), List.of()));
        }
        Optional<Integer> producer = view.producer(value);
        if (producer.isEmpty()) {
            return Optional.empty();
        }
        NodeProto node = view.node(producer.get());
        switch (node.getOpType()) {
            case "Constant" -> {
                return constantTensor(node, value).map(tensor -> new ConstantValue(tensor, List.of(producer.get())));
            }
            case "Cast", "Identity" -> {
                Optional<ConstantValue> source = resolve(view, node.getInput(0));
                if (source.isEmpty()) {
                    return Optional.empty();
                }
                TensorProto tensor = source.get().tensor();
                if (node.getOpType().equals("Cast")) {
                    int to = (int) node.getAttributeList().stream().filter(attribute -> attribute.getName().equals("to"))
                            .findFirst().orElseThrow().getI();
                    if (to != ElementType.FLOAT.code()) {
                        return Optional.empty();
                    }
                    long[] dims = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
                    tensor = TensorCodec.fromFloats(value, dims, TensorCodec.toFloats(tensor));
                }
                List<Integer> producers = new ArrayList<>(source.get().producerNodes());
                producers.add(producer.get());
                return Optional.of(new ConstantValue(tensor.toBuilder().setName(value).build(), producers));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<TensorProto> constantTensor(NodeProto node, String name) {
        for (AttributeProto attribute : node.getAttributeList()) {
            switch (attribute.getName()) {
                case "value" -> {
                    return Optional.of(attribute.getT().toBuilder().setName(name).build());
                }
                case "value_float" -> {
                    return Optional.of(TensorCodec.fromFloats(name, new long[0], new float[] {attribute.getF()}));
                }
                case "value_floats" -> {
                    float[] values = new float[attribute.getFloatsCount()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = attribute.getFloats(i);
                    }
                    return Optional.of(TensorCodec.fromFloats(name, new long[] {values.length}, values));
                }
                default -> {
                }
            }
        }
        return Optional.empty();
    }
}
