package dev.quantfleet.engine.external;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the English package descriptions of every package in the APT sources, not only the
 * installed ones: the {@code *_i18n_Translation-en} files in APT's lists folder. APT downloads
 * them on {@code apt-get update} when {@code Acquire::Languages} includes {@code en}; Docker
 * images of Debian set it to {@code none}, so there they appear only after
 * {@code apt-get -o Acquire::Languages=en update}. A Debian 12 main archive gives about 64,000
 * descriptions.
 *
 * <p>APT may keep the files compressed ({@code Acquire::GzipIndexes}). Plain and {@code .gz}
 * files are read here; {@code .lz4}, {@code .xz}, {@code .zst}, {@code .bz2} and {@code .lzma}
 * files are decompressed by {@code apt-helper cat-file}, the tool APT ships for this.
 */
public final class AptTranslations {

    /** APT's lists folder on Debian and Ubuntu. */
    public static final Path DEFAULT_LISTS_FOLDER = Path.of("/var/lib/apt/lists");

    /** The field of a Translation-en stanza that contains the synopsis and the extended description. */
    public static final String DESCRIPTION_FIELD = "Description-en";

    /** APT's helper program, whose {@code cat-file} command decompresses any list file APT wrote. */
    static final Path APT_HELPER = Path.of("/usr/lib/apt/apt-helper");

    private static final Pattern FILE_NAME = Pattern.compile(".*_i18n_Translation-en(\\.(gz|lz4|xz|zst|bz2|lzma))?");
    private static final Duration DECOMPRESSION_TIMEOUT = Duration.ofMinutes(2);

    private AptTranslations() {
    }

    /**
     * Returns the Translation-en files in {@code listsFolder}, sorted by name; empty when there
     * are none or the folder is missing. Files of other languages and regional variants such as
     * {@code Translation-en_GB} are left out.
     */
    public static List<Path> findFiles(Path listsFolder) throws IOException {
        if (!Files.isDirectory(listsFolder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(listsFolder)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> FILE_NAME.matcher(file.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
    }

    /**
     * Reads every file of {@code files} and returns their descriptions sorted by package name,
     * synopsis and extended description, without exact duplicates. A package whose description
     * differs between two files (two suites) appears once per distinct description.
     *
     * @throws IOException naming the file when one cannot be read or decompressed
     */
    public static List<PackageDescription> readDescriptions(List<Path> files) throws IOException {
        Set<PackageDescription> descriptions = new LinkedHashSet<>();
        for (Path file : files) {
            try (BufferedReader reader = open(file)) {
                descriptions.addAll(DpkgStatus.parseDescriptions(reader, DESCRIPTION_FIELD));
            }
        }
        List<PackageDescription> sorted = new ArrayList<>(descriptions);
        sorted.sort(Comparator.comparing(PackageDescription::packageName)
                .thenComparing(PackageDescription::synopsis)
                .thenComparing(PackageDescription::extendedDescription));
        return sorted;
    }

    private static BufferedReader open(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith("Translation-en")) {
            return reader(Files.newInputStream(file));
        }
        if (name.endsWith(".gz")) {
            return reader(new GZIPInputStream(Files.newInputStream(file)));
        }
        return new BufferedReader(new StringReader(catFile(file)));
    }

    private static BufferedReader reader(InputStream stream) {
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    private static String catFile(Path file) throws IOException {
        ExternalCommand.Result result;
        try {
            result = ExternalCommand.run(List.of(APT_HELPER.toString(), "cat-file", file.toString()),
                    file.toAbsolutePath().getParent(), DECOMPRESSION_TIMEOUT,
                    "APT's apt-helper decompresses " + file.getFileName() + "; install the apt package, or store "
                            + "the lists uncompressed with apt-get -o Acquire::GzipIndexes=false update");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while decompressing " + file, e);
        }
        if (!result.succeeded()) {
            throw new IOException("'" + APT_HELPER + " cat-file " + file + "' failed with exit code "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        return result.stdout();
    }
}
