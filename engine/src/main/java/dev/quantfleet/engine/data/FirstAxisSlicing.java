package dev.quantfleet.engine.data;

import java.util.Arrays;
import java.util.Optional;

/**
 * The rule that cuts an array with many samples along its first axis into samples for one model
 * input:
 * <ul>
 *   <li>The model input has one dimension fewer than the array: each sample is {@code array[i]}
 *       and the first axis is dropped.</li>
 *   <li>Same rank, or the model leaves the rank open: each sample is {@code array[i*k:(i+1)*k]}
 *       and keeps the first axis, where {@code k} is the model's fixed first dimension, or 1 if
 *       that dimension is not fixed or unknown.</li>
 *   <li>A 0-d array of a rank-0 input is one sample.</li>
 * </ul>
 *
 * @param rowsPerSample  first-axis rows that make one sample
 * @param dropFirstAxis  whether the sample shape omits the first axis
 * @param sampleCount    number of samples in the array
 * @param sampleShape    shape of each sample
 */
record FirstAxisSlicing(long rowsPerSample, boolean dropFirstAxis, long sampleCount, long[] sampleShape) {

    static FirstAxisSlicing of(long[] arrayShape, Optional<ModelInput> input, String origin) {
        int modelRank = input.map(ModelInput::rank).orElse(-1);
        if (arrayShape.length == 0) {
            if (modelRank > 0) {
                throw new InvalidDataException(origin + " contains a 0-d array, but the model expects "
                        + input.get().describe() + "; samples must lie along the first axis");
            }
            return new FirstAxisSlicing(1, false, 1, new long[0]);
        }
        long[] rest = Arrays.copyOfRange(arrayShape, 1, arrayShape.length);
        if (modelRank == arrayShape.length - 1) {
            return new FirstAxisSlicing(1, true, arrayShape[0], rest);
        }
        if (modelRank >= 0 && modelRank != arrayShape.length) {
            throw new InvalidDataException(origin + " has shape " + Arrays.toString(arrayShape) + " (rank "
                    + arrayShape.length + "), but the model expects " + input.get().describe()
                    + "; give an array of rank " + modelRank + " or " + (modelRank + 1)
                    + " with the samples along the first axis");
        }
        long rows = input.flatMap(ModelInput::dims)
                .map(dims -> dims.get(0).isFixed() && dims.get(0).size() > 0 ? dims.get(0).size() : 1L)
                .orElse(1L);
        if (arrayShape[0] % rows != 0) {
            throw new InvalidDataException(origin + " has " + arrayShape[0] + " rows along the first axis, which is "
                    + "not a multiple of the model's fixed batch size " + rows + " (" + input.get().describe() + ")");
        }
        long[] sampleShape = arrayShape.clone();
        sampleShape[0] = rows;
        return new FirstAxisSlicing(rows, false, arrayShape[0] / rows, sampleShape);
    }

    /** Elements in one sample. */
    long sampleElements() {
        return TensorValue.elementCount(sampleShape);
    }
}
