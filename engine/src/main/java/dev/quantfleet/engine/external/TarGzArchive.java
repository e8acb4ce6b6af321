package dev.quantfleet.engine.external;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks gzip-compressed tar archives such as npm tarballs. Reads the POSIX ustar layout:
 * 512-byte headers with octal sizes, the {@code prefix} field for long names, and GNU
 * {@code L} and pax {@code x} records for names longer than both. Only regular files and
 * directories are written; links and devices are skipped, and an entry whose path leaves the
 * target directory is rejected.
 */
public final class TarGzArchive {

    private static final int BLOCK_BYTES = 512;

    private TarGzArchive() {
    }

    /**
     * Writes every regular file of {@code archive} below {@code targetDirectory}, replacing
     * existing files, and returns the written paths in archive order.
     */
    public static List<Path> extract(Path archive, Path targetDirectory) throws IOException {
        Path root = targetDirectory.toAbsolutePath().normalize();
        Files.createDirectories(root);
        List<Path> written = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            String pendingLongName = null;
            byte[] header = new byte[BLOCK_BYTES];
            while (readBlock(in, header)) {
                if (isZeroBlock(header)) {
                    break;
                }
                String name = pendingLongName != null ? pendingLongName : headerName(header);
                pendingLongName = null;
                long sizeBytes = parseOctal(header, 124, 12);
                char type = (char) header[156];
                switch (type) {
                    case 'L' -> pendingLongName = trimNul(new String(readData(in, sizeBytes), StandardCharsets.UTF_8));
                    case 'x' -> pendingLongName = paxPath(readData(in, sizeBytes));
                    case '5' -> Files.createDirectories(resolveInside(root, name));
                    case '0', '\0', '7' -> {
                        Path file = resolveInside(root, name);
                        Files.createDirectories(file.getParent());
                        Files.copy(new BoundedInputStream(in, sizeBytes), file, StandardCopyOption.REPLACE_EXISTING);
                        skipPadding(in, sizeBytes);
                        written.add(file);
                    }
                    default -> skipData(in, sizeBytes);
                }
            }
        }
        return written;
    }

    private static Path resolveInside(Path root, String name) throws IOException {
        Path resolved = root.resolve(name).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IOException("Archive entry '" + name + "' points outside the target directory " + root);
        }
        return resolved;
    }

    private static String headerName(byte[] header) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        boolean ustar = field(header, 257, 6).startsWith("ustar");
        return ustar && !prefix.isEmpty() ? prefix + "/" + name : name;
    }

    /** Returns the {@code path} record of a pax extended header, or null when it has none. */
    private static String paxPath(byte[] data) {
        String records = new String(data, StandardCharsets.UTF_8);
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            int equals = record.indexOf('=');
            if (space > 0 && equals > space && record.substring(space + 1, equals).equals("path")) {
                return record.substring(equals + 1);
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        return trimNul(new String(header, offset, length, StandardCharsets.UTF_8));
    }

    private static String trimNul(String text) {
        int end = text.indexOf('\0');
        return end < 0 ? text : text.substring(0, end);
    }

    private static long parseOctal(byte[] header, int offset, int length) throws IOException {
        String digits = field(header, offset, length).trim();
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("Invalid tar header: size field '" + digits + "' is not octal", e);
        }
    }

    private static boolean isZeroBlock(byte[] block) {
        for (byte value : block) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, block.length);
        if (read == 0) {
            return false;
        }
        if (read < block.length) {
            throw new EOFException("Truncated tar archive: header block has " + read + " of " + BLOCK_BYTES + " bytes");
        }
        return true;
    }

    private static byte[] readData(InputStream in, long sizeBytes) throws IOException {
        byte[] data = in.readNBytes(Math.toIntExact(sizeBytes));
        if (data.length < sizeBytes) {
            throw new EOFException("Truncated tar archive: entry has " + data.length + " of " + sizeBytes + " bytes");
        }
        skipPadding(in, sizeBytes);
        return data;
    }

    private static void skipData(InputStream in, long sizeBytes) throws IOException {
        in.skipNBytes(sizeBytes);
        skipPadding(in, sizeBytes);
    }

    private static void skipPadding(InputStream in, long sizeBytes) throws IOException {
        long remainder = sizeBytes % BLOCK_BYTES;
        if (remainder != 0) {
            in.skipNBytes(BLOCK_BYTES - remainder);
        }
    }

    /** Reads at most {@code limitBytes} from the wrapped stream and never closes it. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remainingBytes;

        BoundedInputStream(InputStream in, long limitBytes) {
            this.in = in;
            this.remainingBytes = limitBytes;
        }

        @Override
        public int read() throws IOException {
            if (remainingBytes <= 0) {
                return -1;
            }
            int value = in.read();
            if (value < 0) {
                throw new EOFException("Truncated tar archive: " + remainingBytes + " bytes of an entry missing");
            }
            remainingBytes--;
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remainingBytes <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remainingBytes));
            if (read < 0) {
                throw new EOFException("Truncated tar archive: " + remainingBytes + " bytes of an entry missing");
            }
            remainingBytes -= read;
            return read;
        }
    }
}
