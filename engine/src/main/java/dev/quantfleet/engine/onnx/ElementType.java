package dev.quantfleet.engine.onnx;

import java.util.Arrays;
import java.util.Locale;

/**
 * ONNX tensor element types with their {@code TensorProto.DataType} code, bit width and,
 * for integer types, the representable range. Codes follow the ONNX IR specification;
 * {@link #fromCode(int)} rejects codes this version does not know instead of guessing.
 */
public enum ElementType {
    UNDEFINED(0, 0, false, false),
    FLOAT(1, 32, true, true),
    UINT8(2, 8, false, false),
    INT8(3, 8, false, true),
    UINT16(4, 16, false, false),
    INT16(5, 16, false, true),
    INT32(6, 32, false, true),
    INT64(7, 64, false, true),
    STRING(8, 0, false, false),
    BOOL(9, 8, false, false),
    FLOAT16(10, 16, true, true),
    DOUBLE(11, 64, true, true),
    UINT32(12, 32, false, false),
    UINT64(13, 64, false, false),
    COMPLEX64(14, 64, true, true),
    COMPLEX128(15, 128, true, true),
    BFLOAT16(16, 16, true, true),
    FLOAT8E4M3FN(17, 8, true, true),
    FLOAT8E4M3FNUZ(18, 8, true, true),
    FLOAT8E5M2(19, 8, true, true),
    FLOAT8E5M2FNUZ(20, 8, true, true),
    UINT4(21, 4, false, false),
    INT4(22, 4, false, true),
    FLOAT4E2M1(23, 4, true, true),
    FLOAT8E8M0(24, 8, true, false);

    private static final ElementType[] BY_CODE = new ElementType[25];

    static {
        for (ElementType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int bits;
    private final boolean floatingPoint;
    private final boolean signed;

    ElementType(int code, int bits, boolean floatingPoint, boolean signed) {
        this.code = code;
        this.bits = bits;
        this.floatingPoint = floatingPoint;
        this.signed = signed;
    }

    /** Returns the {@code TensorProto.DataType} code written in models. */
    public int code() {
        return code;
    }

    /** Bits per element; 0 for strings and undefined. */
    public int bits() {
        return bits;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** Returns whether QuantizeLinear can produce this integer type (8, 16 and 4 bit). */
    public boolean isQuantizedInteger() {
        return this == UINT8 || this == INT8 || this == UINT16 || this == INT16 || this == UINT4 || this == INT4;
    }

    public boolean isInteger() {
        return !floatingPoint && this != STRING && this != UNDEFINED && this != BOOL;
    }

    /** Smallest representable value of an integer type. */
    public long minValue() {
        requireInteger();
        return signed ? -(1L << (bits - 1)) : 0;
    }

    /** Largest representable value of an integer type (for UINT64 this is {@link Long#MAX_VALUE}). */
    public long maxValue() {
        requireInteger();
        if (bits == 64) {
            return Long.MAX_VALUE;
        }
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    /** Bytes needed to hold {@code elementCount} elements in {@code raw_data}, 4-bit types packed two per byte. */
    public long rawByteCount(long elementCount) {
        if (bits == 4) {
            return (elementCount + 1) / 2;
        }
        if (bits == 0) {
            throw new IllegalStateException("Element type " + this + " has no fixed byte size");
        }
        return elementCount * (bits / 8);
    }

    /** Looks up a type by its {@code TensorProto.DataType} code. */
    public static ElementType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("Unknown ONNX element type code " + code
                    + "; this Quantfleet version knows codes 0 to " + (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }

    /** Parses a type name such as {@code int8} or {@code FLOAT16}, case-insensitively. */
    public static ElementType fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown element type '" + name + "'; expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT), e);
        }
    }

    private void requireInteger() {
        if (!isInteger()) {
            throw new IllegalStateException("Element type " + this + " is not an integer type");
        }
    }
}
