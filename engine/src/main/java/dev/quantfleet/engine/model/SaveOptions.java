package dev.quantfleet.engine.model;

/**
 * How {@link ModelIo#save(dev.quantfleet.engine.onnx.Onnx.ModelProto, java.nio.file.Path, SaveOptions)}
 * splits a model between the {@code .onnx} file and external data.
 *
 * <p>When the estimated serialized size of the model exceeds {@code externalDataThresholdBytes},
 * every initializer whose {@code raw_data} has at least {@code minExternalTensorBytes} bytes
 * moves to the file {@code <model file name>.data} beside the model. Models above
 * {@link ModelLimits#PROTOBUF_MAX_BYTES} always go external, whatever the threshold.
 *
 * @param externalDataThresholdBytes model size above which initializers move to external data, in bytes
 * @param minExternalTensorBytes smallest initializer, in bytes of raw_data, that moves to external data
 */
public record SaveOptions(long externalDataThresholdBytes, long minExternalTensorBytes) {

    /** Default for {@link #minExternalTensorBytes()}: small tensors stay inline, as shape constants do. */
    public static final long DEFAULT_MIN_EXTERNAL_TENSOR_BYTES = 1024;

    public SaveOptions {
        if (externalDataThresholdBytes < 0 || externalDataThresholdBytes > ModelLimits.PROTOBUF_MAX_BYTES) {
            throw new IllegalArgumentException("externalDataThresholdBytes is " + externalDataThresholdBytes
                    + "; it must be between 0 and " + ModelLimits.PROTOBUF_MAX_BYTES + " (the protobuf limit)");
        }
        if (minExternalTensorBytes < 0) {
            throw new IllegalArgumentException("minExternalTensorBytes is " + minExternalTensorBytes
                    + "; it must be 0 or more");
        }
    }

    /** Returns options that write external data only when protobuf could not contain the model otherwise. */
    public static SaveOptions defaults() {
        return new SaveOptions(ModelLimits.PROTOBUF_MAX_BYTES, DEFAULT_MIN_EXTERNAL_TENSOR_BYTES);
    }
}
