package dev.quantfleet.engine.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Query/document pairs from a UTF-8 {@code .tsv} file: one pair per non-blank line, written
 * {@code query<TAB>document}, with exactly one tab and non-blank text on both sides. As samples,
 * each pair becomes two: the query, then its document, so pair {@code i} is samples
 * {@code 2i} and {@code 2i + 1}.
 */
public final class TextPairs {

    /** File name ending that selects this format. */
    public static final String EXTENSION = ".tsv";

    /**
     * One pair.
     *
     * @param query      the query text
     * @param document   the document text that is relevant to the query
     * @param lineNumber the 1-based line in the file, for error messages
     */
    public record TextPair(String query, String document, int lineNumber) {
    }

    private TextPairs() {
    }

    /** Returns whether {@code file} is named like a pairs file ({@code *.tsv}, any case). */
    public static boolean isPairsFile(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(EXTENSION);
    }

    /**
     * Reads every pair of {@code file}.
     *
     * @throws InvalidDataException if a non-blank line is not {@code query<TAB>document}
     */
    public static List<TextPair> read(Path file) {
        List<TextPair> pairs = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (!line.isBlank()) {
                    pairs.add(parse(line, file, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
        return pairs;
    }

    /**
     * Splits one non-blank line into its query and document.
     *
     * @throws InvalidDataException if the line has no tab, more than one, or a blank side
     */
    public static TextPair parse(String line, Path file, int lineNumber) {
        String[] sides = line.split("\t", -1);
        if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
            throw new InvalidDataException("Line " + lineNumber + " of " + file + " is not a query/document pair: "
                    + "expected 'query<TAB>document' with exactly one tab and text on both sides, but found "
                    + (sides.length - 1) + " tabs in '" + abbreviate(line) + "'");
        }
        return new TextPair(sides[0], sides[1], lineNumber);
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
