package dev.quantfleet.benchmarks;

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
 * name order. The same package database always gives the same texts.
 */
public final class PackageTexts {

    private PackageTexts() {
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
                .map(description -> description.synopsis().replace('\t', ' ') + "\t"
                        + description.extendedDescription().replace('\t', ' '))
                .toList();
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
