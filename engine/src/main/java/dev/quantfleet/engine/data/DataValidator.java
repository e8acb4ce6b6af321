package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks samples against the inputs that a model declares. Every required input must be present
 * and every name must be declared. Each tensor must match the element type, the rank and every
 * fixed dimension, and the inputs of one sample must give each symbolic dimension one size. A
 * rejection lists every problem of the sample and every model input with its declared type.
 */
public final class DataValidator {

    private final List<ModelInput> inputs;
    private final Map<String, ModelInput> inputsByName = new LinkedHashMap<>();

    public DataValidator(List<ModelInput> inputs) {
        this.inputs = List.copyOf(inputs);
        inputs.forEach(input -> inputsByName.put(input.name(), input));
    }

    public static DataValidator of(ModelProto model) {
        return new DataValidator(ModelInput.of(model));
    }

    public List<ModelInput> inputs() {
        return inputs;
    }

    /**
     * Rejects a sample that does not fit the model.
     *
     * @throws InvalidDataException listing every problem and the model's inputs
     */
    public void validate(Sample sample) {
        List<String> problems = problems(sample);
        if (!problems.isEmpty()) {
            throw new InvalidDataException(String.join("; ", problems) + ". Model inputs: "
                    + ModelInput.describeAll(inputs));
        }
    }

    /** Lists every way in which {@code sample} does not fit the model; empty if it fits. */
    public List<String> problems(Sample sample) {
        List<String> problems = new ArrayList<>();
        for (ModelInput input : inputs) {
            if (!input.optional() && !sample.inputs().containsKey(input.name())) {
                problems.add("Input '" + input.name() + "' (" + input.describeType() + ") is missing from "
                        + sample.origin());
            }
        }
        for (Map.Entry<String, TensorValue> entry : sample.inputs().entrySet()) {
            ModelInput input = inputsByName.get(entry.getKey());
            if (input == null) {
                problems.add(sample.origin() + " has '" + entry.getKey() + "' (" + entry.getValue().describe()
                        + "), which is not a model input");
            } else {
                checkTensor(input, entry.getValue(), sample.origin()).ifPresent(problems::add);
            }
        }
        problems.addAll(symbolicDimensionConflicts(sample));
        return problems;
    }

    private static Optional<String> checkTensor(ModelInput input, TensorValue value, String origin) {
        Optional<ElementType> expectedType = input.elementType();
        if (expectedType.isPresent() && expectedType.get() != value.elementType()) {
            return Optional.of("Input '" + input.name() + "' has element type " + TensorValue.typeName(value.elementType())
                    + " in " + origin + ", but the model expects " + input.describeType());
        }
        if (input.dims().isEmpty()) {
            return Optional.empty();
        }
        List<ModelInput.Dim> dims = input.dims().get();
        long[] shape = value.shape();
        if (shape.length != dims.size()) {
            return Optional.of("Input '" + input.name() + "' has shape " + Arrays.toString(shape) + " (rank "
                    + shape.length + ") in " + origin + ", but the model expects rank " + dims.size() + ": "
                    + input.describeType());
        }
        for (int axis = 0; axis < shape.length; axis++) {
            ModelInput.Dim dim = dims.get(axis);
            if (dim.isFixed() && dim.size() != shape[axis]) {
                return Optional.of("Input '" + input.name() + "' has shape " + Arrays.toString(shape) + " in " + origin
                        + ", but the model expects " + input.describeType() + " (dimension " + axis + " must be "
                        + dim.size() + ")");
            }
        }
        return Optional.empty();
    }

    /** Lists the symbolic dimensions that two inputs of one sample give different sizes. */
    private List<String> symbolicDimensionConflicts(Sample sample) {
        Map<String, String> firstUse = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (Map.Entry<String, TensorValue> entry : sample.inputs().entrySet()) {
            ModelInput input = inputsByName.get(entry.getKey());
            if (input == null || input.dims().isEmpty() || input.rank() != entry.getValue().rank()) {
                continue;
            }
            long[] shape = entry.getValue().shape();
            List<ModelInput.Dim> dims = input.dims().get();
            for (int axis = 0; axis < shape.length; axis++) {
                String parameter = dims.get(axis).parameter();
                if (dims.get(axis).isFixed() || parameter.isEmpty()) {
                    continue;
                }
                Long earlier = sizes.putIfAbsent(parameter, shape[axis]);
                if (earlier == null) {
                    firstUse.put(parameter, input.name());
                } else if (earlier != shape[axis]) {
                    conflicts.add("Inputs '" + firstUse.get(parameter) + "' and '" + input.name() + "' give dimension '"
                            + parameter + "' the sizes " + earlier + " and " + shape[axis] + " in " + sample.origin()
                            + "; the model needs one size for it");
                }
            }
        }
        return conflicts;
    }
}
