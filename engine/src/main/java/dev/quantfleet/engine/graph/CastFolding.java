package dev.quantfleet.engine.graph;

import com.google.protobuf.ByteString;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Computes the result of an ONNX {@code Cast} on a constant tensor, the way ONNX Runtime's CPU
 * kernel does for the supported types: floating-point targets round to nearest even, integer
 * targets from floating point truncate toward zero, integer targets from integers keep the low
 * bits (two's complement wrap), and {@code BOOL} is 1 for every non-zero value.
 *
 * <p>Supported element types on both sides: FLOAT, DOUBLE, FLOAT16, BFLOAT16, BOOL and the 8 to
 * 64-bit integers. Float8, 4-bit, string and complex casts are rejected, as is a float value that
 * is NaN, infinite or out of range for an integer target, because ONNX leaves those results
 * undefined.
 */
final class CastFolding {

    private CastFolding() {
    }

    /**
     * Returns {@code source} cast to {@code target}, named {@code name}, values in raw_data.
     *
     * @throws IllegalArgumentException naming the unsupported type pair or the first value out of range
     */
    static TensorProto cast(TensorProto source, ElementType target, String name) {
        ElementType sourceType = TensorCodec.elementType(source);
        requireSupported(sourceType, "source");
        requireSupported(target, "target");
        long[] dims = source.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (sourceType.isFloatingPoint()) {
            return fromDoubles(name, dims, target, toDoubles(source, sourceType));
        }
        return fromLongs(name, dims, target, TensorCodec.toLongs(source));
    }

    private static void requireSupported(ElementType type, String side) {
        boolean supported = switch (type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, BOOL, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 -> true;
            default -> false;
        };
        if (!supported) {
            throw new IllegalArgumentException("Cast folding does not support " + side + " element type " + type
                    + "; supported are FLOAT, DOUBLE, FLOAT16, BFLOAT16, BOOL and 8 to 64-bit integers");
        }
    }

    private static double[] toDoubles(TensorProto tensor, ElementType type) {
        int count = Math.toIntExact(TensorCodec.elementCount(tensor));
        double[] values = new double[count];
        if (type == ElementType.DOUBLE) {
            if (tensor.hasRawData()) {
                tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
            } else {
                for (int i = 0; i < count; i++) {
                    values[i] = tensor.getDoubleData(i);
                }
            }
            return values;
        }
        float[] floats = TensorCodec.toFloats(tensor);
        for (int i = 0; i < count; i++) {
            values[i] = floats[i];
        }
        return values;
    }

    private static TensorProto fromDoubles(String name, long[] dims, ElementType target, double[] values) {
        if (target.isFloatingPoint()) {
            return floatingPoint(name, dims, target, values);
        }
        long[] integers = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            double value = values[i];
            if (target == ElementType.BOOL) {
                integers[i] = value != 0 ? 1 : 0;
                continue;
            }
            double truncated = value < 0 ? Math.ceil(value) : Math.floor(value);
            if (Double.isNaN(value) || truncated < target.minValue() || truncated > target.maxValue()) {
                throw new IllegalArgumentException("Value " + value + " at index " + i + " is outside the "
                        + target + " range [" + target.minValue() + ", " + target.maxValue()
                        + "], so the Cast result is undefined");
            }
            integers[i] = (long) truncated;
        }
        return TensorCodec.fromLongs(name, dims, target, integers);
    }

    private static TensorProto fromLongs(String name, long[] dims, ElementType target, long[] values) {
        if (target.isFloatingPoint()) {
            double[] doubles = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                doubles[i] = values[i];
            }
            return floatingPoint(name, dims, target, doubles);
        }
        long[] converted = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (target == ElementType.BOOL) {
                converted[i] = values[i] != 0 ? 1 : 0;
            } else {
                converted[i] = wrap(values[i], target);
            }
        }
        return TensorCodec.fromLongs(name, dims, target, converted);
    }

    /** Keeps the low bits of {@code value} and reads them as {@code type}, like a C++ static_cast. */
    private static long wrap(long value, ElementType type) {
        if (type.bits() == 64) {
            return value;
        }
        long low = value & ((1L << type.bits()) - 1);
        boolean negative = type.minValue() < 0 && (low >>> (type.bits() - 1)) == 1;
        return negative ? low - (1L << type.bits()) : low;
    }

    private static TensorProto floatingPoint(String name, long[] dims, ElementType target, double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * (target.bits() / 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            switch (target) {
                case FLOAT -> buffer.putFloat((float) value);
                case DOUBLE -> buffer.putDouble(value);
                case FLOAT16 -> buffer.putShort((short) floatToHalf((float) value));
                case BFLOAT16 -> buffer.putShort((short) floatToBfloat16((float) value));
                default -> throw new IllegalStateException("Not a floating-point target: " + target);
            }
        }
        TensorProto.Builder builder = TensorProto.newBuilder().setName(name).setDataType(target.code());
        for (long dim : dims) {
            builder.addDims(dim);
        }
        return builder.setRawData(ByteString.copyFrom(buffer.array())).build();
    }

    /** Converts a float to IEEE 754 binary16 bits, rounding to nearest even; overflow gives infinity. */
    static int floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0);
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return sign | 0x7C00;
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return sign;
            }
            // Subnormal half: shift the 24-bit significand so that one unit is 2^-24.
            int significand = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return sign | roundShift(significand, shift);
        }
        // A carry out of the mantissa raises the exponent, and at the top it correctly gives infinity.
        return sign | ((halfExponent << 10) + roundShift(mantissa, 13));
    }

    /** Converts a float to bfloat16 bits (the upper half of the float), rounding to nearest even; NaN stays NaN. */
    static int floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (bits >>> 16) | 0x40;
        }
        return roundShift(bits, 16) & 0xFFFF;
    }

    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }
}
