package dev.quantfleet.engine.evaluation;

import java.util.Arrays;

/**
 * One float output of one model run: its graph output name, shape and values in row-major order.
 * Outputs of other element types are not kept, so fidelity metrics ignore them.
 */
public final class OutputTensor {

    private final String name;
    private final long[] shape;
    private final float[] values;

    public OutputTensor(String name, long[] shape, float[] values) {
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count != values.length) {
            throw new IllegalArgumentException("Output '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + count + " elements), but " + values.length + " values were given");
        }
        this.name = name;
        this.shape = shape.clone();
        this.values = values;
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The values; the array is shared, so callers must not change it. */
    public float[] values() {
        return values;
    }

    /** Size of the last axis; 1 for a scalar. */
    public int lastAxisSize() {
        return shape.length == 0 ? 1 : Math.toIntExact(shape[shape.length - 1]);
    }

    /** Number of rows along the last axis: the element count divided by {@link #lastAxisSize()}. */
    public int rowCount() {
        int lastAxis = lastAxisSize();
        return lastAxis == 0 ? 0 : values.length / lastAxis;
    }

    /** Index within row {@code row} of the largest value; the first one on ties, NaN counting as largest. */
    public int argmax(int row) {
        int width = lastAxisSize();
        int offset = row * width;
        int best = 0;
        for (int index = 1; index < width; index++) {
            float value = values[offset + index];
            float bestValue = values[offset + best];
            if (value > bestValue || (Float.isNaN(value) && !Float.isNaN(bestValue))) {
                best = index;
            }
        }
        return best;
    }

    /** Describes the output as error messages print it, e.g. {@code 'logits' [1, 10]}. */
    public String describe() {
        return "'" + name + "' " + Arrays.toString(shape);
    }
}
