package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} array, format versions 1.0 to 3.0: the magic string
 * {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes little-endian in
 * version 1, 4 bytes in versions 2 and 3) and a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}. The array data follows
 * the header in C order.
 *
 * <p>Supported {@code descr} values: a byte order ({@code <} little, {@code >} big, {@code =}
 * native, {@code |} not applicable) followed by {@code b1}, {@code i1}, {@code u1}, {@code i2},
 * {@code u2}, {@code i4}, {@code u4}, {@code i8}, {@code u8}, {@code f2}, {@code f4} or
 * {@code f8}. Fortran-ordered arrays, structured dtypes, strings and objects are rejected.
 *
 * @param elementType the ONNX element type of the NumPy dtype
 * @param byteOrder   the byte order of multi-byte elements
 * @param shape       the array shape; empty for a 0-d array
 */
public record NpyHeader(ElementType elementType, ByteOrder byteOrder, long[] shape) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"])([^'\"]*)\\1");
    private static final Pattern FORTRAN_ORDER = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private static final Map<String, ElementType> TYPES = Map.ofEntries(
            Map.entry("b1", ElementType.BOOL),
            Map.entry("i1", ElementType.INT8),
            Map.entry("u1", ElementType.UINT8),
            Map.entry("i2", ElementType.INT16),
            Map.entry("u2", ElementType.UINT16),
            Map.entry("i4", ElementType.INT32),
            Map.entry("u4", ElementType.UINT32),
            Map.entry("i8", ElementType.INT64),
            Map.entry("u8", ElementType.UINT64),
            Map.entry("f2", ElementType.FLOAT16),
            Map.entry("f4", ElementType.FLOAT),
            Map.entry("f8", ElementType.DOUBLE));

    public NpyHeader {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Bytes per element. */
    public int itemBytes() {
        return elementType.bits() / 8;
    }

    /**
     * Reads the header from {@code stream}, leaving it at the first data byte.
     *
     * @param origin the file or zip entry, as error messages name it
     * @throws InvalidDataException if the header is malformed or describes an unsupported array
     */
    public static NpyHeader read(InputStream stream, String origin) throws IOException {
        DataInputStream data = new DataInputStream(stream);
        byte[] magic = new byte[MAGIC.length];
        int major;
        int headerBytes;
        try {
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InvalidDataException(origin + " is not a NumPy .npy array: it does not start with \\x93NUMPY");
            }
            major = data.readUnsignedByte();
            data.readUnsignedByte();
            headerBytes = readHeaderLength(data, major, origin);
        } catch (EOFException e) {
            throw new InvalidDataException(origin + " ends inside its .npy header", e);
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new InvalidDataException(origin + " declares a .npy header of " + headerBytes
                    + " bytes; at most " + MAX_HEADER_BYTES + " are accepted");
        }
        byte[] header = new byte[headerBytes];
        try {
            data.readFully(header);
        } catch (EOFException e) {
            throw new InvalidDataException(origin + " ends inside its .npy header", e);
        }
        String text = new String(header, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(text, origin);
    }

    static NpyHeader parse(String header, String origin) {
        Matcher descr = DESCR.matcher(header);
        if (!descr.find()) {
            throw new InvalidDataException(origin + " has a .npy header without a plain 'descr' string (structured "
                    + "dtypes are not supported): " + header.trim());
        }
        Matcher fortranOrder = FORTRAN_ORDER.matcher(header);
        if (!fortranOrder.find()) {
            throw new InvalidDataException(origin + " has a .npy header without 'fortran_order': " + header.trim());
        }
        if (fortranOrder.group(1).equals("True")) {
            throw new InvalidDataException(origin + " stores its array in Fortran order; save it in C order, "
                    + "e.g. numpy.save(path, numpy.ascontiguousarray(array))");
        }
        Matcher shape = SHAPE.matcher(header);
        if (!shape.find()) {
            throw new InvalidDataException(origin + " has a .npy header without 'shape': " + header.trim());
        }
        String dtype = descr.group(2);
        return new NpyHeader(elementType(dtype, origin), byteOrder(dtype, origin), parseShape(shape.group(1), origin));
    }

    private static int readHeaderLength(DataInputStream data, int major, String origin) throws IOException {
        if (major < 1 || major > 3) {
            throw new InvalidDataException(origin + " has .npy format version " + major
                    + "; supported versions are 1, 2 and 3");
        }
        byte[] length = new byte[major == 1 ? 2 : 4];
        data.readFully(length);
        ByteBuffer buffer = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN);
        return major == 1 ? buffer.getShort() & 0xFFFF : buffer.getInt();
    }

    private static ElementType elementType(String dtype, String origin) {
        ElementType type = dtype.length() == 3 ? TYPES.get(dtype.substring(1)) : null;
        if (type == null) {
            throw new InvalidDataException(origin + " has dtype '" + dtype + "', which is not supported; supported: "
                    + "bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16, float32, float64 "
                    + "(descr '|b1', '|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8', '<f2', '<f4', '<f8')");
        }
        return type;
    }

    private static ByteOrder byteOrder(String dtype, String origin) {
        return switch (dtype.charAt(0)) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw new InvalidDataException(origin + " has dtype '" + dtype
                    + "' with an unknown byte order; expected one of '<', '>', '=', '|'");
        };
    }

    private static long[] parseShape(String dims, String origin) {
        String trimmed = dims.trim();
        if (trimmed.isEmpty()) {
            return new long[0];
        }
        String[] parts = trimmed.split(",");
        int count = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        long[] shape = new long[count];
        for (int i = 0; i < count; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].trim().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new InvalidDataException(origin + " has an invalid .npy shape (" + dims + ")", e);
            }
            if (shape[i] < 0) {
                throw new InvalidDataException(origin + " has a negative dimension in its .npy shape (" + dims + ")");
            }
        }
        return shape;
    }
}
