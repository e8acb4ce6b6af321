package dev.quantfleet.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes little-endian float32 arrays in NumPy's {@code .npy} format, version 1.0. */
final class NpyFiles {

    private NpyFiles() {
    }

    static Path writeFloats(Path file, long[] shape, float[] values) throws IOException {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "")
                + "), }";
        // Magic (6 bytes), version (2) and header length (2) precede the header, and the whole
        // preamble is padded with spaces to a multiple of 64 bytes, ending in a newline.
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        byte[] headerBytes = (header + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(10 + headerBytes.length + 4 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        buffer.putShort((short) headerBytes.length);
        buffer.put(headerBytes);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return Files.write(file, buffer.array());
    }
}
