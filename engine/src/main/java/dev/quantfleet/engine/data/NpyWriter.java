package dev.quantfleet.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy .npy and .npz files the way numpy.save and numpy.savez do, in format version 1.0
 * (or 2.0 on request). The header is padded with spaces and ends with a newline, so that magic,
 * version, header length and header together fill a multiple of 64 bytes. Data bytes are written
 * as given; {@link #writeFloats} builds them from floats, little-endian, row-major.
 *
 * <p>The whole file is built in memory, so it suits arrays of some megabytes (calibration
 * batches), not arrays of gigabytes.
 */
public final class NpyWriter {

    private NpyWriter() {
    }

    /** An array to write: dtype descr such as {@code <f4}, shape and the raw data bytes. */
    public record Array(String descr, long[] shape, byte[] data, boolean fortranOrder, int majorVersion) {

        public static Array of(String descr, long[] shape, byte[] data) {
            return new Array(descr, shape, data, false, 1);
        }

        public static Array floats(long[] shape, float... values) {
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values);
            return of("<f4", shape, buffer.array());
        }

        public static Array longs(long[] shape, long... values) {
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asLongBuffer().put(values);
            return of("<i8", shape, buffer.array());
        }
    }

    /** Returns the complete .npy file content of {@code array}. */
    public static byte[] npyBytes(Array array) {
        StringJoiner shape = new StringJoiner(", ", "(", array.shape().length == 1 ? ",)" : ")");
        for (long dim : array.shape()) {
            shape.add(Long.toString(dim));
        }
        String dict = "{'descr': '" + array.descr() + "', 'fortran_order': " + (array.fortranOrder() ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        int lengthBytes = array.majorVersion() == 1 ? 2 : 4;
        int preamble = 6 + 2 + lengthBytes;
        int total = preamble + dict.length() + 1;
        int padding = (64 - total % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(array.majorVersion());
        out.write(0);
        ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (lengthBytes == 2) {
            length.putShort((short) header.length());
        } else {
            length.putInt(header.length());
        }
        out.writeBytes(length.array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(array.data());
        return out.toByteArray();
    }

    /** Writes {@code array} as one .npy file, replacing {@code file} if it exists. */
    public static void writeNpy(Path file, Array array) throws IOException {
        Files.write(file, npyBytes(array));
    }

    /**
     * Writes a little-endian float32 ({@code <f4}) array in C order and returns {@code file}.
     *
     * @throws IllegalArgumentException if {@code values.length} is not the product of {@code shape}
     */
    public static Path writeFloats(Path file, long[] shape, float[] values) throws IOException {
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("Negative dimension in shape " + Arrays.toString(shape)
                        + "; every dimension must be 0 or more");
            }
            elements = Math.multiplyExact(elements, dim);
        }
        if (elements != values.length) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " contains " + elements
                    + " values, but " + values.length + " were given; pass a shape whose product is the value count");
        }
        writeNpy(file, Array.floats(shape, values));
        return file;
    }

    /** Writes a .npz with one {@code name.npy} entry per array, stored or deflated. */
    public static void writeNpz(Path file, Map<String, Array> arrays, boolean compressed) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(stream)) {
            for (Map.Entry<String, Array> entry : arrays.entrySet()) {
                byte[] bytes = npyBytes(entry.getValue());
                ZipEntry zipEntry = new ZipEntry(entry.getKey() + ".npy");
                if (compressed) {
                    zipEntry.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    zipEntry.setMethod(ZipEntry.STORED);
                    zipEntry.setSize(bytes.length);
                    zipEntry.setCompressedSize(bytes.length);
                    zipEntry.setCrc(crc.getValue());
                }
                zip.putNextEntry(zipEntry);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }
}
