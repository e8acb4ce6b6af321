package dev.quantfleet.engine.model;

/**
 * Size limits that {@link ModelIo#load} enforces before it reads a model into memory.
 *
 * <p>{@code maxModelBytes} limits the {@code .onnx} file itself. It can be at most
 * {@link #PROTOBUF_MAX_BYTES}, because protobuf-java parses one message from at most 2 GiB
 * (a Java array is a few bytes shorter still). Larger models must keep their weights in
 * external data, which {@code maxExternalDataBytes} limits in total over all tensors.
 *
 * @param maxModelBytes largest accepted {@code .onnx} file, in bytes
 * @param maxExternalDataBytes largest accepted sum of external tensor bytes, in bytes
 */
public record ModelLimits(long maxModelBytes, long maxExternalDataBytes) {

    /** Largest message protobuf-java can parse from one Java byte array: 2 GiB less the JVM's array header slack. */
    public static final long PROTOBUF_MAX_BYTES = Integer.MAX_VALUE - 8L;

    /** Default for {@link #maxExternalDataBytes()}: 16 GiB. */
    public static final long DEFAULT_MAX_EXTERNAL_DATA_BYTES = 16L << 30;

    public ModelLimits {
        if (maxModelBytes <= 0 || maxModelBytes > PROTOBUF_MAX_BYTES) {
            throw new IllegalArgumentException("maxModelBytes is " + maxModelBytes + "; it must be between 1 and "
                    + PROTOBUF_MAX_BYTES + " because protobuf parses at most 2 GiB; keep larger weights in external data");
        }
        if (maxExternalDataBytes < 0) {
            throw new IllegalArgumentException("maxExternalDataBytes is " + maxExternalDataBytes
                    + "; it must be 0 (no external data allowed) or more");
        }
    }

    /** Returns limits that accept any model file protobuf can parse and up to 16 GiB of external data. */
    public static ModelLimits defaults() {
        return new ModelLimits(PROTOBUF_MAX_BYTES, DEFAULT_MAX_EXTERNAL_DATA_BYTES);
    }
}
