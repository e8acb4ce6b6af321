package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks samples against the inputs that a model declares. Every required input must be present
 * and every name must be declared. Each tensor must match the element type, the rank and every
 * fixed dimension, and the inputs of one sample must give each symbolic dimension one size. A
 * floating-point tensor must contain no NaN and at least one finite value: NaN carries no range,
 * and a tensor of only infinities would leave calibration nothing to measure, so either would give
 * a degraded model without an error. Single infinities are accepted, because float attention
 * masks use {@code -inf}. A rejection lists every problem of the sample and every model input
 * with its declared type.
 */
public final class DataValidator {

    private static final Set<ElementType> FLOATING_TYPES =
            EnumSet.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.FLOAT16, ElementType.BFLOAT16);

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
        return nonFiniteProblem(input, value, origin);
    }

    /** Reports NaN values, or a floating-point tensor without any finite value. */
    private static Optional<String> nonFiniteProblem(ModelInput input, TensorValue value, String origin) {
        if (!FLOATING_TYPES.contains(value.elementType())) {
            return Optional.empty();
        }
        long nanCount = 0;
        long finiteCount = 0;
        long firstNan = -1;
        Buffer values = value.values();
        for (int i = 0; i < values.limit(); i++) {
            double element = floatingValue(value.elementType(), values, i);
            if (Double.isNaN(element)) {
                nanCount++;
                firstNan = firstNan < 0 ? i : firstNan;
            } else if (Double.isFinite(element)) {
                finiteCount++;
            }
        }
        if (nanCount > 0) {
            return Optional.of("Input '" + input.name() + "' contains " + nanCount + " NaN values in " + origin
                    + " (the first at element " + firstNan + "); the data must not contain NaN");
        }
        if (finiteCount == 0 && values.limit() > 0) {
            return Optional.of("Input '" + input.name() + "' has no finite value in " + origin + " (all "
                    + values.limit() + " values are infinite); the data needs finite values");
        }
        return Optional.empty();
    }

    /**
     * Returns element {@code index} of a floating-point tensor as a double. Half-precision values
     * are classified by their bits only: an all-ones exponent gives NaN or an infinity, and any
     * other value gives 0, which is enough for the finiteness check.
     */
    private static double floatingValue(ElementType type, Buffer values, int index) {
        return switch (type) {
            case FLOAT -> ((FloatBuffer) values).get(index);
            case DOUBLE -> ((DoubleBuffer) values).get(index);
            case FLOAT16 -> halfPrecisionClass(((ShortBuffer) values).get(index), 0x7C00, 0x03FF);
            case BFLOAT16 -> halfPrecisionClass(((ShortBuffer) values).get(index), 0x7F80, 0x007F);
            default -> throw new IllegalArgumentException(type + " is not a floating-point type");
        };
    }

    private static double halfPrecisionClass(short bits, int exponentMask, int mantissaMask) {
        if ((bits & exponentMask) != exponentMask) {
            return 0;
        }
        return (bits & mantissaMask) != 0 ? Double.NaN : Double.POSITIVE_INFINITY;
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
