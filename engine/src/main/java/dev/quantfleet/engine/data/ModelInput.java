package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorShapeProto;
import dev.quantfleet.engine.onnx.Onnx.TypeProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A graph input as the model declares it: name, element type and, where the model states it,
 * the shape with fixed and symbolic dimensions.
 *
 * @param name        the graph input name
 * @param elementType the declared element type; empty if the input is not a tensor or has no type
 * @param dims        the declared dimensions; empty if the model leaves the rank open
 * @param optional    whether an initializer of the same name supplies a default, so data may omit it
 */
public record ModelInput(String name, Optional<ElementType> elementType, Optional<List<Dim>> dims,
                         boolean optional) {

    /**
     * One declared dimension: a fixed size, a symbolic name, or neither.
     *
     * @param size      the fixed size, or -1 if the dimension is not fixed
     * @param parameter the symbolic name ({@code dim_param}), or empty
     */
    public record Dim(long size, String parameter) {

        public boolean isFixed() {
            return size >= 0;
        }

        @Override
        public String toString() {
            if (isFixed()) {
                return Long.toString(size);
            }
            return parameter.isEmpty() ? "?" : parameter;
        }
    }

    public ModelInput {
        dims = dims.map(List::copyOf);
    }

    /** Lists the graph inputs of {@code model} in declaration order, marking those with an initializer optional. */
    public static List<ModelInput> of(ModelProto model) {
        GraphProto graph = model.getGraph();
        Set<String> initializers = new HashSet<>();
        for (TensorProto initializer : graph.getInitializerList()) {
            initializers.add(initializer.getName());
        }
        List<ModelInput> inputs = new ArrayList<>();
        for (ValueInfoProto input : graph.getInputList()) {
            inputs.add(of(input, initializers.contains(input.getName())));
        }
        return List.copyOf(inputs);
    }

    /** Only the inputs that data must supply: graph inputs without an initializer. */
    public static List<ModelInput> required(List<ModelInput> inputs) {
        return inputs.stream().filter(input -> !input.optional()).toList();
    }

    static ModelInput of(ValueInfoProto input, boolean optional) {
        TypeProto type = input.getType();
        if (!type.hasTensorType()) {
            return new ModelInput(input.getName(), Optional.empty(), Optional.empty(), optional);
        }
        TypeProto.Tensor tensorType = type.getTensorType();
        Optional<ElementType> elementType = tensorType.getElemType() == 0
                ? Optional.empty()
                : Optional.of(ElementType.fromCode(tensorType.getElemType()));
        if (!tensorType.hasShape()) {
            return new ModelInput(input.getName(), elementType, Optional.empty(), optional);
        }
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension dimension : tensorType.getShape().getDimList()) {
            long size = dimension.hasDimValue() ? dimension.getDimValue() : -1;
            dims.add(new Dim(size, dimension.hasDimParam() ? dimension.getDimParam() : ""));
        }
        return new ModelInput(input.getName(), elementType, Optional.of(dims), optional);
    }

    /** Declared rank, or -1 if the model leaves it open. */
    public int rank() {
        return dims.map(List::size).orElse(-1);
    }

    /** Describes the declared type, e.g. {@code float [batch, 3, 48, ?]}, where {@code ?} is an unknown part. */
    public String describeType() {
        String type = elementType.map(TensorValue::typeName).orElse("?");
        if (dims.isEmpty()) {
            return type + " [rank ?]";
        }
        StringJoiner joined = new StringJoiner(", ", "[", "]");
        dims.get().forEach(dim -> joined.add(dim.toString()));
        return type + " " + joined;
    }

    /** Describes the name and declared type, e.g. {@code 'x': float [?, 3]}, with " (optional)" for inputs that have a default. */
    public String describe() {
        return "'" + name + "': " + describeType() + (optional ? " (optional)" : "");
    }

    /** Describes all inputs on one line, for error messages. */
    public static String describeAll(List<ModelInput> inputs) {
        StringJoiner joined = new StringJoiner(", ");
        inputs.forEach(input -> joined.add(input.describe()));
        return joined.toString();
    }
}
