package dev.quantfleet.engine.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpkgStatusTest {

    private static final String STATUS = """
            Package: zlib1g
            Status: install ok installed
            Architecture: amd64
            Description: compression library - runtime
             zlib is a library implementing the deflate compression method found
             in gzip and PKZIP.
             .
             This package includes the shared library.
            Homepage: https://zlib.net/

            Package: adduser
            Description: add and remove users and groups
            Maintainer: Debian Adduser Developers

            Package: zlib1g
            Architecture: i386
            Description: compression library - runtime
             zlib is a library implementing the deflate compression method found
             in gzip and PKZIP.
             .
             This package includes the shared library.

            Package: no-description
            Version: 1.0

            Description: stanza without a package name
            """;

    @Test
    void readsSortedDescriptionsWithoutDuplicates() throws IOException {
        List<PackageDescription> descriptions = parse(STATUS);

        assertThat(descriptions).extracting(PackageDescription::packageName).containsExactly("adduser", "zlib1g");
        assertThat(descriptions.get(0).synopsis()).isEqualTo("add and remove users and groups");
        assertThat(descriptions.get(0).extendedDescription()).isEmpty();
    }

    @Test
    void joinsExtendedDescriptionIntoOneLine() throws IOException {
        PackageDescription zlib = parse(STATUS).get(1);

        assertThat(zlib.synopsis()).isEqualTo("compression library - runtime");
        assertThat(zlib.extendedDescription()).isEqualTo("zlib is a library implementing the deflate compression "
                + "method found in gzip and PKZIP. This package includes the shared library.");
        assertThat(zlib.text(false)).isEqualTo("compression library - runtime");
        assertThat(zlib.text(true)).startsWith("compression library - runtime. zlib is a library").doesNotContain("\n");
    }

    @Test
    void fieldAfterDescriptionEndsIt() throws IOException {
        String status = "Package: a\nDescription: short\n long text\nX-Field: value\n continued field\n";

        assertThat(parse(status).get(0).extendedDescription()).isEqualTo("long text");
    }

    @Test
    void missingFileRaisesNoSuchFile(@TempDir Path directory) {
        Path missing = directory.resolve("status");

        assertThatThrownBy(() -> DpkgStatus.readDescriptions(missing)).isInstanceOf(NoSuchFileException.class);
    }

    private static List<PackageDescription> parse(String status) throws IOException {
        return DpkgStatus.parseDescriptions(new BufferedReader(new StringReader(status)));
    }
}
