package dev.quantfleet.engine.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarGzArchiveTest {

    @TempDir
    Path directory;

    @Test
    void extractsFilesAndDirectories() throws IOException {
        byte[] large = new byte[1300];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        Path archive = writeArchive(
                new Entry("package/", '5', new byte[0]),
                new Entry("package/package.json", '0', "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                new Entry("package/assets/model.onnx", '0', large),
                new Entry("package/link", '2', new byte[0]));

        List<Path> written = TarGzArchive.extract(archive, directory.resolve("out"));

        Path root = directory.resolve("out").toAbsolutePath().normalize();
        assertThat(written).containsExactly(root.resolve("package/package.json"), root.resolve("package/assets/model.onnx"));
        assertThat(Files.readString(root.resolve("package/package.json"))).isEqualTo("{\"name\":\"x\"}");
        assertThat(Files.readAllBytes(root.resolve("package/assets/model.onnx"))).isEqualTo(large);
        assertThat(root.resolve("package/link")).doesNotExist();
    }

    @Test
    void readsGnuLongNames() throws IOException {
        String longName = "package/" + "d".repeat(120) + "/file.txt";
        Path archive = writeArchive(
                new Entry("././@LongLink", 'L', (longName + "\0").getBytes(StandardCharsets.UTF_8)),
                new Entry(longName.substring(0, 99), '0', "content".getBytes(StandardCharsets.UTF_8)));

        TarGzArchive.extract(archive, directory.resolve("out"));

        assertThat(Files.readString(directory.resolve("out").resolve(longName))).isEqualTo("content");
    }

    @Test
    void rejectsEntryOutsideTarget() throws IOException {
        Path archive = writeArchive(new Entry("package/../../escape.txt", '0', new byte[] {1}));

        assertThatThrownBy(() -> TarGzArchive.extract(archive, directory.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("package/../../escape.txt")
                .hasMessageContaining("outside the target directory");
        assertThat(directory.resolve("escape.txt")).doesNotExist();
    }

    private record Entry(String name, char type, byte[] data) {
    }

    private Path writeArchive(Entry... entries) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            tar.write(header(entry));
            tar.write(entry.data());
            tar.write(new byte[(512 - entry.data().length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        Path archive = directory.resolve("archive.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            out.write(tar.toByteArray());
        }
        return archive;
    }

    /** Writes a ustar header; the checksum is left blank because the reader does not verify it. */
    private static byte[] header(Entry entry) {
        byte[] header = new byte[512];
        put(header, 0, entry.name());
        put(header, 100, "0000644");
        put(header, 124, String.format("%011o", entry.data().length));
        header[156] = (byte) entry.type();
        put(header, 257, "ustar");
        return header;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
