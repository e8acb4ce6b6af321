package dev.quantfleet.engine.data;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * One input tensor of a sample: an ONNX element type, a shape and the values in row-major
 * order, held in a heap buffer of the matching Java type.
 *
 * <table>
 *   <caption>Storage per element type</caption>
 *   <tr><th>element type</th><th>buffer</th></tr>
 *   <tr><td>FLOAT</td><td>{@link FloatBuffer}</td></tr>
 *   <tr><td>DOUBLE</td><td>{@link DoubleBuffer}</td></tr>
 *   <tr><td>INT64, UINT64</td><td>{@link LongBuffer}</td></tr>
 *   <tr><td>INT32, UINT32</td><td>{@link IntBuffer}</td></tr>
 *   <tr><td>INT16, UINT16, FLOAT16, BFLOAT16</td><td>{@link ShortBuffer} (16-bit floats as raw bits)</td></tr>
 *   <tr><td>INT8, UINT8, BOOL</td><td>{@link ByteBuffer}</td></tr>
 * </table>
 * Unsigned values are stored as the same bits in the signed Java type. Instances are immutable:
 * the accessors return read-only views.
 */
public final class TensorValue {

    private final ElementType elementType;
    private final long[] shape;
    private final Buffer values;

    private TensorValue(ElementType elementType, long[] shape, Buffer values) {
        long count = elementCount(shape);
        if (values.remaining() != count) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " has " + count
                    + " elements, but " + values.remaining() + " values were given");
        }
        this.elementType = elementType;
        this.shape = shape.clone();
        this.values = values;
    }

    public static TensorValue ofFloats(long[] shape, float[] values) {
        return new TensorValue(ElementType.FLOAT, shape, FloatBuffer.wrap(values));
    }

    public static TensorValue ofDoubles(long[] shape, double[] values) {
        return new TensorValue(ElementType.DOUBLE, shape, DoubleBuffer.wrap(values));
    }

    /** Creates an INT64 tensor. */
    public static TensorValue ofLongs(long[] shape, long[] values) {
        return new TensorValue(ElementType.INT64, shape, LongBuffer.wrap(values));
    }

    /** Creates an INT32 tensor. */
    public static TensorValue ofInts(long[] shape, int[] values) {
        return new TensorValue(ElementType.INT32, shape, IntBuffer.wrap(values));
    }

    /**
     * Creates a tensor of any supported element type over a heap buffer of the matching Java type,
     * as the class table lists. The buffer's remaining values become the tensor's values, so they
     * must not change later.
     */
    public static TensorValue of(ElementType elementType, long[] shape, Buffer values) {
        Class<? extends Buffer> expected = bufferClass(elementType);
        if (!expected.isInstance(values)) {
            throw new IllegalArgumentException("Element type " + elementType + " needs a "
                    + expected.getSimpleName() + ", but a " + values.getClass().getSimpleName() + " was given");
        }
        return new TensorValue(elementType, shape, values.slice());
    }

    /**
     * Decodes a {@link TensorProto} with inline data, keeping its element type.
     *
     * @throws IllegalArgumentException if the element type has no Java storage here (string,
     *                                  complex, 4-bit and 8-bit float types)
     */
    public static TensorValue fromTensorProto(TensorProto tensor) {
        ElementType type = TensorCodec.elementType(tensor);
        long[] shape = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        bufferClass(type);
        if (type == ElementType.FLOAT) {
            return ofFloats(shape, TensorCodec.toFloats(tensor));
        }
        if (type == ElementType.DOUBLE) {
            return ofDoubles(shape, decodeDoubles(tensor));
        }
        if (type == ElementType.FLOAT16 || type == ElementType.BFLOAT16) {
            return of(type, shape, ShortBuffer.wrap(decode16BitFloatBits(tensor)));
        }
        long[] longs = TensorCodec.toLongs(tensor);
        return switch (type) {
            case INT64, UINT64 -> ofLongs(shape, longs).retype(type);
            case INT32, UINT32 -> of(type, shape, IntBuffer.wrap(narrowToInts(longs)));
            case INT16, UINT16 -> of(type, shape, ShortBuffer.wrap(narrowToShorts(longs)));
            default -> of(type, shape, ByteBuffer.wrap(narrowToBytes(longs)));
        };
    }

    public ElementType elementType() {
        return elementType;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long elementCount() {
        return values.remaining();
    }

    /** Returns a read-only view of the values, positioned at the first element. */
    public Buffer values() {
        return readOnly(values);
    }

    /**
     * Returns the values of a FLOAT tensor as a read-only view without copying.
     *
     * @throws IllegalStateException for any other element type
     */
    public FloatBuffer floatValues() {
        if (elementType != ElementType.FLOAT) {
            throw new IllegalStateException("Tensor is " + describe() + ", not float");
        }
        return ((FloatBuffer) values).asReadOnlyBuffer();
    }

    /**
     * Creates an ONNX Runtime tensor with a copy of the values; the caller closes it.
     *
     * @throws IllegalArgumentException for UINT16, UINT32 and UINT64, which the ONNX Runtime Java
     *                                  API cannot create
     */
    public OnnxTensor toOnnxTensor(OrtEnvironment environment) throws OrtException {
        return switch (elementType) {
            case FLOAT -> OnnxTensor.createTensor(environment, (FloatBuffer) values.duplicate(), shape);
            case DOUBLE -> OnnxTensor.createTensor(environment, (DoubleBuffer) values.duplicate(), shape);
            case INT64 -> OnnxTensor.createTensor(environment, (LongBuffer) values.duplicate(), shape);
            case INT32 -> OnnxTensor.createTensor(environment, (IntBuffer) values.duplicate(), shape);
            case INT16 -> OnnxTensor.createTensor(environment, (ShortBuffer) values.duplicate(), shape);
            case FLOAT16 -> OnnxTensor.createTensor(environment, (ShortBuffer) values.duplicate(), shape,
                    OnnxJavaType.FLOAT16);
            case BFLOAT16 -> OnnxTensor.createTensor(environment, (ShortBuffer) values.duplicate(), shape,
                    OnnxJavaType.BFLOAT16);
            case INT8 -> OnnxTensor.createTensor(environment, (ByteBuffer) values.duplicate(), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(environment, (ByteBuffer) values.duplicate(), shape,
                    OnnxJavaType.UINT8);
            case BOOL -> OnnxTensor.createTensor(environment, (ByteBuffer) values.duplicate(), shape, OnnxJavaType.BOOL);
            default -> throw new IllegalArgumentException("ONNX Runtime's Java API cannot create " + elementType
                    + " tensors; supported input types: float, double, float16, bfloat16, int64, int32, int16, "
                    + "int8, uint8, bool. Convert the data to one of them.");
        };
    }

    /** Describes the element type and shape as error messages print them, e.g. {@code float [1, 3, 48]}. */
    public String describe() {
        StringJoiner dims = new StringJoiner(", ", "[", "]");
        for (long dim : shape) {
            dims.add(Long.toString(dim));
        }
        return typeName(elementType) + " " + dims;
    }

    /** Returns the lower-case ONNX name of an element type, as error messages print it. */
    public static String typeName(ElementType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "TensorValue[" + describe() + "]";
    }

    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    private TensorValue retype(ElementType type) {
        return type == elementType ? this : new TensorValue(type, shape, values);
    }

    private static Class<? extends Buffer> bufferClass(ElementType type) {
        return switch (type) {
            case FLOAT -> FloatBuffer.class;
            case DOUBLE -> DoubleBuffer.class;
            case INT64, UINT64 -> LongBuffer.class;
            case INT32, UINT32 -> IntBuffer.class;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> ShortBuffer.class;
            case INT8, UINT8, BOOL -> ByteBuffer.class;
            default -> throw new IllegalArgumentException("Element type " + typeName(type)
                    + " is not supported as sample data; supported: float, double, float16, bfloat16, int64, "
                    + "uint64, int32, uint32, int16, uint16, int8, uint8, bool");
        };
    }

    private static Buffer readOnly(Buffer buffer) {
        if (buffer instanceof FloatBuffer floats) {
            return floats.asReadOnlyBuffer();
        }
        if (buffer instanceof DoubleBuffer doubles) {
            return doubles.asReadOnlyBuffer();
        }
        if (buffer instanceof LongBuffer longs) {
            return longs.asReadOnlyBuffer();
        }
        if (buffer instanceof IntBuffer ints) {
            return ints.asReadOnlyBuffer();
        }
        if (buffer instanceof ShortBuffer shorts) {
            return shorts.asReadOnlyBuffer();
        }
        return ((ByteBuffer) buffer).asReadOnlyBuffer();
    }

    private static double[] decodeDoubles(TensorProto tensor) {
        int count = Math.toIntExact(TensorCodec.elementCount(tensor));
        double[] doubles = new double[count];
        if (tensor.hasRawData()) {
            requireRawSize(tensor, count * 8L);
            tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(doubles);
            return doubles;
        }
        requireFieldCount(tensor, tensor.getDoubleDataCount(), count);
        for (int i = 0; i < count; i++) {
            doubles[i] = tensor.getDoubleData(i);
        }
        return doubles;
    }

    /** Raw bits of FLOAT16 or BFLOAT16 values, from raw_data or from int32_data (one value per entry). */
    private static short[] decode16BitFloatBits(TensorProto tensor) {
        int count = Math.toIntExact(TensorCodec.elementCount(tensor));
        short[] bits = new short[count];
        if (tensor.hasRawData()) {
            requireRawSize(tensor, count * 2L);
            tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(bits);
            return bits;
        }
        requireFieldCount(tensor, tensor.getInt32DataCount(), count);
        for (int i = 0; i < count; i++) {
            bits[i] = (short) tensor.getInt32Data(i);
        }
        return bits;
    }

    private static void requireRawSize(TensorProto tensor, long expectedBytes) {
        if (tensor.getRawData().size() != expectedBytes) {
            throw new IllegalArgumentException("Tensor '" + tensor.getName() + "' has dims " + tensor.getDimsList()
                    + " and needs " + expectedBytes + " bytes of raw_data, but holds " + tensor.getRawData().size());
        }
    }

    private static void requireFieldCount(TensorProto tensor, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("Tensor '" + tensor.getName() + "' has dims " + tensor.getDimsList()
                    + " (" + expected + " elements), but its typed data field holds " + actual);
        }
    }

    private static int[] narrowToInts(long[] longs) {
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            ints[i] = (int) longs[i];
        }
        return ints;
    }

    private static short[] narrowToShorts(long[] longs) {
        short[] shorts = new short[longs.length];
        for (int i = 0; i < longs.length; i++) {
            shorts[i] = (short) longs[i];
        }
        return shorts;
    }

    private static byte[] narrowToBytes(long[] longs) {
        byte[] bytes = new byte[longs.length];
        for (int i = 0; i < longs.length; i++) {
            bytes[i] = (byte) longs[i];
        }
        return bytes;
    }
}
