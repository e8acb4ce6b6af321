package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The audio suite's check of its programs on a {@code PATH} of folders made for the test. */
class AudioProgramsTest {

    @TempDir
    Path directory;

    @Test
    void missingProgramsNamedWithFix() throws IOException {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        writeExecutable(bin.resolve("npm"));

        String message = AudioBenchmark.missingProgramsMessage(bin.toString()).orElseThrow();

        assertThat(message).startsWith("The audio suite needs espeak-ng, sox on the PATH");
        assertThat(message).endsWith("on Debian: apt-get install espeak-ng sox npm");
    }

    @Test
    void programsInAnyPathFolderAreFound() throws IOException {
        Path speech = Files.createDirectories(directory.resolve("speech"));
        Path node = Files.createDirectories(directory.resolve("node"));
        writeExecutable(speech.resolve("espeak-ng"));
        writeExecutable(speech.resolve("sox"));
        writeExecutable(node.resolve("npm"));

        String path = speech + File.pathSeparator + File.pathSeparator + node;

        assertThat(AudioBenchmark.missingProgramsMessage(path)).isEmpty();
    }

    @Test
    void nonExecutableFileCountsAsMissing() throws IOException {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        writeExecutable(bin.resolve("espeak-ng"));
        writeExecutable(bin.resolve("npm"));
        Files.writeString(bin.resolve("sox"), "#!/bin/sh\n");

        assertThat(AudioBenchmark.missingProgramsMessage(bin.toString()))
                .hasValue("The audio suite needs sox on the PATH; on Debian: apt-get install espeak-ng sox npm");
    }

    private static void writeExecutable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
