package dev.quantfleet.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TextsCommandTest {

    private static final String STATUS = """
            Package: zsh
            Description: shell with lots of features
             Zsh is a UNIX command interpreter (shell) usable as an
             interactive login shell.

            Package: bash
            Description: GNU Bourne Again SHell

            Package: coreutils
            Description: GNU core utilities
             This package contains the basic file, shell and text
             manipulation utilities.
            """;

    @TempDir
    Path directory;

    private Path statusFile;
    private Path out;

    @BeforeEach
    void writeStatusFile() throws IOException {
        statusFile = Files.writeString(directory.resolve("status"), STATUS);
        out = directory.resolve("calibration/texts.txt");
    }

    @Test
    void writesSynopsesSortedByPackage() throws IOException {
        CliRun run = run();

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly(
                "GNU Bourne Again SHell", "GNU core utilities", "shell with lots of features");
        assertThat(run.out()).contains("Wrote 3 texts to " + out + " (descriptions 1 to 3 of 3 in " + statusFile + ")");
    }

    @Test
    void skipAndCountSelectSlice() throws IOException {
        CliRun run = run("--skip", "1", "--count", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly("GNU core utilities");
        assertThat(run.out()).contains("(descriptions 2 to 2 of 3");
    }

    @Test
    void countBeyondEndWritesRemainderWithNote() throws IOException {
        CliRun run = run("--skip", "2", "--count", "5");

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly("shell with lots of features");
        assertThat(run.out()).contains("Note: 5 texts were requested, but only 1 remain after --skip 2");
    }

    @Test
    void pairsHoldSynopsisAndExtendedDescriptionOfPackagesThatHaveOne() throws IOException {
        CliRun run = run("--pairs");

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly(
                "GNU core utilities\tThis package contains the basic file, shell and text manipulation utilities.",
                "shell with lots of features\tZsh is a UNIX command interpreter (shell) usable as an interactive "
                        + "login shell.");
        assertThat(run.out()).contains("Wrote 2 pairs to " + out + " (descriptions 1 to 2 of 2 descriptions with an "
                + "extended part in " + statusFile + ")");
    }

    @Test
    void pairsWithExtendedIsRejected() {
        CliRun run = run("--pairs", "--extended");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pairs and --extended cannot be combined");
        assertThat(out).doesNotExist();
    }

    @Test
    void extendedAppendsLongDescription() throws IOException {
        CliRun run = run("--extended");

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly(
                "GNU Bourne Again SHell",
                "GNU core utilities. This package contains the basic file, shell and text manipulation utilities.",
                "shell with lots of features. Zsh is a UNIX command interpreter (shell) usable as an interactive "
                        + "login shell.");
    }

    @Test
    void missingStatusFileSuggestsOwnTexts() {
        Path missing = directory.resolve("no-status");

        CliRun run = CliRun.run("models", "texts", "--out", out.toString(), "--status-file", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Package database " + missing + " not found")
                .contains("--calibration-data FILE");
        assertThat(out).doesNotExist();
    }

    @Test
    void skipPastEndIsRejected() {
        CliRun run = run("--skip", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--skip 3 leaves no texts").contains("has 3 package descriptions");
    }

    @Test
    void countMustBePositive() {
        CliRun run = run("--count", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --count: 0; expected 1 or more");
    }

    @Test
    void negativeSkipIsRejected() {
        CliRun run = run("--skip", "-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for --skip: -1; expected 0 or more");
    }

    @Test
    void outIsRequired() {
        CliRun run = CliRun.run("models", "texts");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--out=FILE'");
    }

    @Test
    void realDatabaseGivesSameFileTwice() throws IOException {
        Path realStatus = Path.of("/var/lib/dpkg/status");
        Assumptions.assumeTrue(Files.isRegularFile(realStatus), "Skipping: " + realStatus + " is missing on this machine");
        Path first = directory.resolve("first.txt");
        Path second = directory.resolve("second.txt");

        CliRun firstRun = CliRun.run("models", "texts", "--out", first.toString(), "--count", "64");
        CliRun secondRun = CliRun.run("models", "texts", "--out", second.toString(), "--count", "64");

        assertThat(firstRun.exitCode()).isZero();
        assertThat(secondRun.exitCode()).isZero();
        assertThat(Files.readAllLines(first)).hasSize(64).allSatisfy(line -> assertThat(line).isNotBlank());
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    private CliRun run(String... options) {
        String[] args = new String[options.length + 6];
        args[0] = "models";
        args[1] = "texts";
        args[2] = "--out";
        args[3] = out.toString();
        args[4] = "--status-file";
        args[5] = statusFile.toString();
        System.arraycopy(options, 0, args, 6, options.length);
        return CliRun.run(args);
    }
}
