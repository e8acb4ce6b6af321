package dev.quantfleet.cli;

import dev.quantfleet.engine.external.DpkgStatus;
import dev.quantfleet.engine.external.PackageDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quantfleet models texts}: writes English calibration texts, one per line, taken from
 * the package descriptions in the dpkg status database that every Debian-based system has.
 */
@Command(
        name = "texts",
        mixinStandardHelpOptions = true,
        description = {
            "Writes calibration texts, one per line, from the package descriptions in the Debian package "
                    + "database (/var/lib/dpkg/status), sorted by package name, so the same machine always "
                    + "writes the same file.",
        })
final class TextsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Text file to write.")
    Path out;

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
            description = "Number of descriptions to leave out at the start, for example to keep calibration and "
                    + "evaluation texts apart (default: ${DEFAULT-VALUE}).")
    int skip;

    @Option(names = "--count", paramLabel = "N",
            description = "Maximum number of texts to write (default: all that remain after --skip).")
    Integer count;

    @Option(names = "--extended", description = "Append the extended description to each one-line synopsis.")
    boolean extended;

    @Option(names = "--pairs",
            description = "Write query/document pairs for retrieval evaluation instead: one line per package that has "
                    + "an extended description, the synopsis, a tab, then the extended description. --skip and "
                    + "--count then count these packages only.")
    boolean pairs;

    @Option(names = "--status-file", paramLabel = "FILE", defaultValue = "/var/lib/dpkg/status",
            description = "dpkg status database to read (default: ${DEFAULT-VALUE}).")
    Path statusFile;

    @Override
    public Integer call() {
        Inputs.requireAtLeast(spec, "--skip", skip, 0);
        if (count != null) {
            Inputs.requireAtLeast(spec, "--count", count, 1);
        }
        Inputs.requireWritableOutput(spec, "--out", out, statusFile);
        if (pairs && extended) {
            throw new InvalidInputException("Invalid options: --pairs and --extended cannot be combined, "
                    + "because a pair already contains the extended description as its document; pass only one of them");
        }

        List<PackageDescription> descriptions = readDescriptions(statusFile);
        if (pairs) {
            descriptions = descriptions.stream().filter(description -> !description.extendedDescription().isEmpty())
                    .toList();
        }
        if (skip >= descriptions.size()) {
            throw new InvalidInputException("--skip " + skip + " leaves no texts: " + statusFile + " has "
                    + descriptions.size() + " package descriptions; pass a smaller --skip");
        }
        long limit = count == null ? Long.MAX_VALUE : count;
        List<String> texts = descriptions.stream()
                .skip(skip)
                .limit(limit)
                .map(description -> pairs ? pairLine(description) : description.text(extended))
                .toList();
        write(texts);

        String unit = pairs ? " pairs" : " texts";
        String source = pairs ? " descriptions with an extended part in " : " in ";
        spec.commandLine().getOut().println("Wrote " + texts.size() + unit + " to " + out + " (descriptions "
                + (skip + 1) + " to " + (skip + texts.size()) + " of " + descriptions.size() + source + statusFile + ")");
        if (count != null && texts.size() < count) {
            spec.commandLine().getOut().println("Note: " + count + " texts were requested, but only "
                    + texts.size() + " remain after --skip " + skip);
        }
        return 0;
    }

    /** Returns the synopsis as query and the extended description as document, separated by a tab. */
    static String pairLine(PackageDescription description) {
        return description.synopsis().replace('\t', ' ') + "\t" + description.extendedDescription().replace('\t', ' ');
    }

    /**
     * Reads the package descriptions of {@code statusFile}, sorted by package name, raising an
     * {@link InvalidInputException} that suggests the way out when the file is missing or unreadable.
     */
    static List<PackageDescription> readDescriptions(Path statusFile) {
        try {
            return DpkgStatus.readDescriptions(statusFile);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("Package database " + statusFile + " not found; this system is probably "
                    + "not Debian-based. Write your own calibration texts, one per line, into a file and pass it "
                    + "to 'quantfleet apply --calibration-data FILE'.", e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read package database " + statusFile + ": " + e.getMessage(), e);
        }
    }

    private void write(List<String> texts) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, texts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write " + out + ": " + e + ". Pass a writable path to --out.", e);
        }
    }
}
