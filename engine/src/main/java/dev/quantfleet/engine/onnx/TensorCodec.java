package dev.quantfleet.engine.onnx;

import com.google.protobuf.ByteString;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reads and writes the values of in-memory {@link TensorProto}s. ONNX stores values either
 * little-endian in {@code raw_data} or in the typed repeated fields ({@code float_data},
 * {@code int32_data} for every type of 32 bits or fewer, {@code int64_data} ...); both forms are
 * read. Values are always written to {@code raw_data}. Tensors whose data is external must be
 * inlined by the model loader first.
 */
public final class TensorCodec {

    private TensorCodec() {
    }

    /** Number of elements given by the dims; 1 for a scalar. */
    public static long elementCount(TensorProto tensor) {
        return elementCount(tensor.getDimsList());
    }

    public static long elementCount(List<Long> dims) {
        long count = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("Negative dimension " + dim + " in tensor dims " + dims);
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    public static ElementType elementType(TensorProto tensor) {
        return ElementType.fromCode(tensor.getDataType());
    }

    /** Decodes any numeric tensor to floats (integers are converted exactly up to 2^24). */
    public static float[] toFloats(TensorProto tensor) {
        requireInline(tensor);
        ElementType type = elementType(tensor);
        int count = checkedCount(tensor);
        float[] values = new float[count];
        switch (type) {
            case FLOAT -> {
                if (tensor.hasRawData()) {
                    littleEndian(tensor.getRawData()).asFloatBuffer().get(values);
                } else {
                    requireFieldCount(tensor, tensor.getFloatDataCount(), count);
                    for (int i = 0; i < count; i++) {
                        values[i] = tensor.getFloatData(i);
                    }
                }
            }
            case DOUBLE -> {
                if (tensor.hasRawData()) {
                    ByteBuffer buffer = littleEndian(tensor.getRawData());
                    for (int i = 0; i < count; i++) {
                        values[i] = (float) buffer.getDouble();
                    }
                } else {
                    requireFieldCount(tensor, tensor.getDoubleDataCount(), count);
                    for (int i = 0; i < count; i++) {
                        values[i] = (float) tensor.getDoubleData(i);
                    }
                }
            }
            case FLOAT16 -> {
                long[] bits = toLongs(tensor, ElementType.UINT16);
                for (int i = 0; i < count; i++) {
                    values[i] = halfToFloat((int) bits[i]);
                }
            }
            case BFLOAT16 -> {
                long[] bits = toLongs(tensor, ElementType.UINT16);
                for (int i = 0; i < count; i++) {
                    values[i] = Float.intBitsToFloat(((int) bits[i]) << 16);
                }
            }
            default -> {
                if (!type.isInteger() && type != ElementType.BOOL) {
                    throw new IllegalArgumentException("Cannot decode tensor '" + tensor.getName()
                            + "' of element type " + type + " to floats");
                }
                long[] longs = toLongs(tensor);
                for (int i = 0; i < count; i++) {
                    values[i] = longs[i];
                }
            }
        }
        return values;
    }

    /** Decodes an integer or bool tensor to longs. */
    public static long[] toLongs(TensorProto tensor) {
        requireInline(tensor);
        return toLongs(tensor, elementType(tensor));
    }

    private static long[] toLongs(TensorProto tensor, ElementType storage) {
        int count = checkedCount(tensor);
        long[] values = new long[count];
        if (tensor.hasRawData()) {
            readRawIntegers(tensor.getRawData(), storage, values);
            return values;
        }
        switch (storage) {
            case INT64 -> {
                requireFieldCount(tensor, tensor.getInt64DataCount(), count);
                for (int i = 0; i < count; i++) {
                    values[i] = tensor.getInt64Data(i);
                }
            }
            case UINT32, UINT64 -> {
                requireFieldCount(tensor, tensor.getUint64DataCount(), count);
                for (int i = 0; i < count; i++) {
                    values[i] = tensor.getUint64Data(i);
                }
            }
            case INT4, UINT4 -> {
                // For 4-bit types int32_data contains packed pairs, as raw_data does.
                byte[] packed = new byte[tensor.getInt32DataCount()];
                for (int i = 0; i < packed.length; i++) {
                    packed[i] = (byte) tensor.getInt32Data(i);
                }
                readRawIntegers(ByteString.copyFrom(packed), storage, values);
            }
            default -> {
                requireFieldCount(tensor, tensor.getInt32DataCount(), count);
                for (int i = 0; i < count; i++) {
                    long value = tensor.getInt32Data(i);
                    values[i] = storage.isInteger() && !isSigned(storage) ? value & mask(storage) : value;
                }
            }
        }
        return values;
    }

    private static void readRawIntegers(ByteString raw, ElementType type, long[] values) {
        long expected = type.rawByteCount(values.length);
        if (raw.size() != expected) {
            throw new IllegalArgumentException("Invalid raw_data: it contains " + raw.size() + " bytes, but " + values.length
                    + " elements of " + type + " need " + expected);
        }
        ByteBuffer buffer = littleEndian(raw);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (type) {
                case INT8 -> buffer.get();
                case UINT8, BOOL -> buffer.get() & 0xFFL;
                case INT16 -> buffer.getShort();
                case UINT16 -> buffer.getShort() & 0xFFFFL;
                case INT32 -> buffer.getInt();
                case UINT32 -> buffer.getInt() & 0xFFFFFFFFL;
                case INT64, UINT64 -> buffer.getLong();
                case INT4, UINT4 -> readNibble(raw, i, type == ElementType.INT4);
                default -> throw new IllegalArgumentException("Element type " + type + " is not an integer type");
            };
        }
    }

    private static long readNibble(ByteString raw, int index, boolean signed) {
        int packed = raw.byteAt(index / 2) & 0xFF;
        int nibble = (index % 2 == 0) ? packed & 0x0F : packed >>> 4;
        return signed && nibble >= 8 ? nibble - 16 : nibble;
    }

    /** Builds a FLOAT tensor with the values in {@code raw_data}. */
    public static TensorProto fromFloats(String name, long[] dims, float[] values) {
        checkShape(dims, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return builder(name, dims, ElementType.FLOAT).setRawData(ByteString.copyFrom(buffer.array())).build();
    }

    /**
     * Builds an integer tensor of {@code type} with the values in {@code raw_data}; 4-bit values
     * are packed two per byte, the first element in the low nibble.
     *
     * @throws IllegalArgumentException if a value is outside the range of {@code type}
     */
    public static TensorProto fromLongs(String name, long[] dims, ElementType type, long[] values) {
        checkShape(dims, values.length);
        if (!type.isInteger() && type != ElementType.BOOL) {
            throw new IllegalArgumentException("Element type " + type + " is not an integer type");
        }
        byte[] raw = new byte[Math.toIntExact(type.rawByteCount(values.length))];
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            long value = values[i];
            if (type != ElementType.BOOL && type != ElementType.UINT64
                    && (value < type.minValue() || value > type.maxValue())) {
                throw new IllegalArgumentException("Value " + value + " at index " + i + " of tensor '" + name
                        + "' is outside the " + type + " range [" + type.minValue() + ", " + type.maxValue() + "]");
            }
            switch (type) {
                case INT8, UINT8, BOOL -> buffer.put((byte) value);
                case INT16, UINT16 -> buffer.putShort((short) value);
                case INT32, UINT32 -> buffer.putInt((int) value);
                case INT64, UINT64 -> buffer.putLong(value);
                case INT4, UINT4 -> raw[i / 2] |= (byte) ((value & 0x0F) << ((i % 2) * 4));
                default -> throw new IllegalArgumentException("Element type " + type + " is not an integer type");
            }
        }
        return builder(name, dims, type).setRawData(ByteString.copyFrom(raw)).build();
    }

    /** Builds a scalar (rank 0) tensor. */
    public static TensorProto scalar(String name, ElementType type, double value) {
        if (type == ElementType.FLOAT) {
            return fromFloats(name, new long[0], new float[] {(float) value});
        }
        return fromLongs(name, new long[0], type, new long[] {(long) value});
    }

    private static TensorProto.Builder builder(String name, long[] dims, ElementType type) {
        TensorProto.Builder builder = TensorProto.newBuilder().setName(name).setDataType(type.code());
        for (long dim : dims) {
            builder.addDims(dim);
        }
        return builder;
    }

    private static void checkShape(long[] dims, int valueCount) {
        long expected = 1;
        for (long dim : dims) {
            expected *= dim;
        }
        if (expected != valueCount) {
            throw new IllegalArgumentException("Tensor dims " + java.util.Arrays.toString(dims) + " hold "
                    + expected + " elements, but " + valueCount + " values were given");
        }
    }

    private static void requireInline(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalStateException("Tensor '" + tensor.getName()
                    + "' still refers to external data; load the model with ModelIo, which inlines it");
        }
    }

    private static void requireFieldCount(TensorProto tensor, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("Tensor '" + tensor.getName() + "' has dims " + tensor.getDimsList()
                    + " (" + expected + " elements) but its typed data field holds " + actual);
        }
    }

    private static int checkedCount(TensorProto tensor) {
        long count = elementCount(tensor);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Tensor '" + tensor.getName() + "' has " + count
                    + " elements, more than one Java array holds");
        }
        return (int) count;
    }

    /** Converts IEEE 754 binary16 bits to a float (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static boolean isSigned(ElementType type) {
        return type.minValue() < 0;
    }

    private static long mask(ElementType type) {
        return type.bits() >= 64 ? -1L : (1L << type.bits()) - 1;
    }

    private static ByteBuffer littleEndian(ByteString bytes) {
        return bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
