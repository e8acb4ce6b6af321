package dev.quantfleet.engine.external;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AptTranslationsTest {

    private static final String MAIN = """
            Package: zsh
            Description-md5: 0bb5f2ecbd8f8b5e5ba8f0c3a1a1e8a2
            Description-en: shell with lots of features
             Zsh is a UNIX command interpreter (shell) usable as an
             interactive login shell and as a shell script command processor.
             .
             This package contains the main program.

            Package: adduser
            Description-md5: 7965b5cd83972a254552a570bcd32c93
            Description-en: add and remove users and groups
             This package includes the 'adduser' and 'deluser' commands.
            """;

    private static final String SECURITY = """
            Package: adduser
            Description-md5: 7965b5cd83972a254552a570bcd32c93
            Description-en: add and remove users and groups
             This package includes the 'adduser' and 'deluser' commands.

            Package: curl
            Description-md5: 2b2a9b3a3bd1e4c5e8c7b5b2a4b1f1a0
            Description-en: command line tool for transferring data with URL syntax
             curl is a command line tool for transferring data with URL syntax.
            """;

    @TempDir
    Path lists;

    @Test
    void findsEnglishFilesOnly() throws IOException {
        write("deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en", MAIN);
        gzip("deb.debian.org_debian-security_dists_bookworm-security_main_i18n_Translation-en.gz", SECURITY);
        write("deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en_GB", MAIN);
        write("deb.debian.org_debian_dists_bookworm_main_i18n_Translation-de", MAIN);
        write("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", MAIN);

        List<Path> files = AptTranslations.findFiles(lists);

        assertThat(files).extracting(file -> file.getFileName().toString()).containsExactly(
                "deb.debian.org_debian-security_dists_bookworm-security_main_i18n_Translation-en.gz",
                "deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en");
    }

    @Test
    void missingFolderHasNoFiles() throws IOException {
        assertThat(AptTranslations.findFiles(lists.resolve("missing"))).isEmpty();
    }

    @Test
    void mergesPlainAndGzipFilesSortedWithoutDuplicates() throws IOException {
        write("a_i18n_Translation-en", MAIN);
        gzip("b_i18n_Translation-en.gz", SECURITY);

        List<PackageDescription> descriptions = AptTranslations.readDescriptions(AptTranslations.findFiles(lists));

        assertThat(descriptions).extracting(PackageDescription::packageName).containsExactly("adduser", "curl", "zsh");
        PackageDescription zsh = descriptions.get(2);
        assertThat(zsh.synopsis()).isEqualTo("shell with lots of features");
        assertThat(zsh.extendedDescription()).isEqualTo("Zsh is a UNIX command interpreter (shell) usable as an "
                + "interactive login shell and as a shell script command processor. This package contains the main "
                + "program.");
    }

    @Test
    void decompressesLz4WithAptHelper() throws Exception {
        Path lz4 = Path.of("/usr/bin/lz4");
        Assumptions.assumeTrue(Files.isExecutable(lz4) && Files.isExecutable(AptTranslations.APT_HELPER),
                "Skipping: needs " + lz4 + " to write the file and " + AptTranslations.APT_HELPER + " to read it");
        Path plain = write("plain", MAIN);
        Path compressed = lists.resolve("c_i18n_Translation-en.lz4");
        Process process = new ProcessBuilder(lz4.toString(), "-q", plain.toString(), compressed.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor()).isZero();

        List<PackageDescription> descriptions = AptTranslations.readDescriptions(List.of(compressed));

        assertThat(descriptions).extracting(PackageDescription::packageName).containsExactly("adduser", "zsh");
    }

    @Test
    void unreadableCompressedFileNamesTheFile() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(AptTranslations.APT_HELPER),
                "Skipping: needs " + AptTranslations.APT_HELPER);
        Path broken = write("d_i18n_Translation-en.lz4", "not lz4 data");

        assertThatThrownBy(() -> AptTranslations.readDescriptions(List.of(broken)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(broken.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(lists.resolve(name), text, StandardCharsets.UTF_8);
    }

    private void gzip(String name, String text) throws IOException {
        try (OutputStream stream = new GZIPOutputStream(Files.newOutputStream(lists.resolve(name)))) {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
