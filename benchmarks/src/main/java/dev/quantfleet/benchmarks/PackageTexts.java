package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.external.AptTranslations;
import dev.quantfleet.engine.external.DpkgStatus;
import dev.quantfleet.engine.external.PackageDescription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * English texts for the benchmarks: the package descriptions of the dpkg status database
 * ({@code /var/lib/dpkg/status}), read with the engine's {@link DpkgStatus} reader, in package
 * name order. The same package database always gives the same texts. The language suite reads
 * the larger set of every package in the APT sources through {@link #englishDescriptions()}.
 */
public final class PackageTexts {

    /** The command that downloads the Translation-en files on a Debian machine, run as root. */
    static final String TRANSLATIONS_COMMAND = "apt-get -o Acquire::Languages=en update";

    /**
     * Package descriptions and where they come from.
     *
     * @param name         the source as a report states it, e.g. {@code 3 Translation-en files in /var/lib/apt/lists}
     * @param translations whether the descriptions come from Translation-en files, not the dpkg status database
     * @param descriptions the descriptions, sorted by package name, synopsis and extended description
     */
    record DescriptionSource(String name, boolean translations, List<PackageDescription> descriptions) {
    }

    private PackageTexts() {
    }

    /**
     * Returns the English descriptions of every package in the APT sources, from the Translation-en
     * files of {@link AptTranslations#DEFAULT_LISTS_FOLDER}. Where there are none, returns the
     * descriptions of the installed packages from the dpkg status database instead, and prints a
     * warning that names {@value #TRANSLATIONS_COMMAND}, which downloads the files.
     */
    static DescriptionSource englishDescriptions() {
        Path folder = AptTranslations.DEFAULT_LISTS_FOLDER;
        try {
            List<Path> files = AptTranslations.findFiles(folder);
            if (!files.isEmpty()) {
                return new DescriptionSource(files.size() + " Translation-en file" + (files.size() == 1 ? "" : "s")
                        + " in " + folder + " (" + String.join(", ", files.stream()
                        .map(file -> file.getFileName().toString()).toList()) + ")", true,
                        AptTranslations.readDescriptions(files));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the Translation-en files of " + folder, e);
        }
        System.err.println("WARNING: no Translation-en file in " + folder + ", so the texts come from the "
                + "installed packages in " + DpkgStatus.DEFAULT_PATH + " only. Run '" + TRANSLATIONS_COMMAND
                + "' as root to download the descriptions of every package.");
        return new DescriptionSource(DpkgStatus.DEFAULT_PATH + " (installed packages only; no Translation-en file in "
                + folder + ")", false, descriptions());
    }

    /** Returns the one-line synopsis of every package, the texts that {@code quantfleet models texts} writes. */
    public static List<String> synopses() {
        return descriptions().stream().map(PackageDescription::synopsis).toList();
    }

    /** Returns the synopsis followed by the extended description of every package. */
    public static List<String> extendedTexts() {
        return descriptions().stream().map(description -> description.text(true)).toList();
    }

    /**
     * Returns one query/document pair line per package that has an extended description, as
     * {@code quantfleet models texts --pairs} writes them: the synopsis, a tab, then the extended
     * description, with tabs inside either part replaced by spaces.
     */
    public static List<String> pairLines() {
        return descriptions().stream()
                .filter(description -> !description.extendedDescription().isEmpty())
                .map(PackageTexts::pairLine)
                .toList();
    }

    /** Returns the pair line of one description: synopsis, tab, extended description, inner tabs as spaces. */
    static String pairLine(PackageDescription description) {
        return description.synopsis().replace('\t', ' ') + "\t" + description.extendedDescription().replace('\t', ' ');
    }

    /**
     * Returns {@code count} texts from {@code texts}, starting again at the first text when the list
     * runs out, so that a benchmark can ask for more samples than the package database holds.
     */
    public static List<String> repeatedTo(List<String> texts, int count) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("No texts to repeat; the package database has no descriptions");
        }
        List<String> repeated = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            repeated.add(texts.get(index % texts.size()));
        }
        return repeated;
    }

    /**
     * Returns {@code texts.subList(from, to)}.
     *
     * @throws IllegalStateException naming the count found when the database contains fewer texts
     */
    public static List<String> slice(List<String> texts, int from, int to) {
        if (texts.size() < to) {
            throw new IllegalStateException("The benchmark needs " + to + " package descriptions from "
                    + DpkgStatus.DEFAULT_PATH + ", but it holds " + texts.size() + "; run it on a Debian or "
                    + "Ubuntu machine with more packages installed");
        }
        return texts.subList(from, to);
    }

    /** Writes {@code texts} one per line into {@code folder/name} and returns the file. */
    public static Path write(Path folder, String name, List<String> texts) {
        Path file = folder.resolve(name);
        try {
            return Files.write(file, texts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write texts to " + file, e);
        }
    }

    private static List<PackageDescription> descriptions() {
        try {
            return DpkgStatus.readDescriptions(DpkgStatus.DEFAULT_PATH);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read package descriptions from " + DpkgStatus.DEFAULT_PATH
                    + "; the benchmarks need the dpkg status database of a Debian or Ubuntu machine", e);
        }
    }
}
