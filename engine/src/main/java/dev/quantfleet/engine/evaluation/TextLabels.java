package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.InvalidDataException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The reference text of every evaluation sample of a CTC text recognizer, and the character
 * dictionary that maps the recognizer's output classes to characters. The task metrics
 * {@code cer} and {@code exact-match} decode each sample's output with {@link #decoder()} and
 * compare the result with its reference text.
 *
 * <p>A labels file of this kind is one UTF-8 text file, so that it travels as the single labels
 * file of a search, on the fleet too. Its first line is {@value #MAGIC}; the counts make every
 * other line literal, so a character or a text may be a space, empty, or start with {@code #}:
 * <pre>
 * #quantfleet-text-labels 1
 * #blank first                  (or "#blank last": the CTC blank is class 0 or class C - 1)
 * #characters N
 * N lines: the characters of the N non-blank classes, in class order
 * #texts M
 * M lines: the reference text of each evaluation sample, in data order
 * </pre>
 * Lines end with {@code \n} (a {@code \r\n} ending is read too); the last text line may end
 * with or without one. A text can hold neither {@code \n} nor {@code \r}. For PaddleOCR
 * recognizers the characters are the lines of {@code ppocr_keys_v1.txt} followed by one line
 * holding a space ({@link CtcGreedyDecoder#paddleOcrCharacters}).
 *
 * @param texts      reference text per evaluation sample, in data order; may be empty strings
 * @param characters characters of the non-blank classes, in class order; none empty
 * @param blank      where the blank class sits
 */
public record TextLabels(List<String> texts, List<String> characters, CtcGreedyDecoder.Blank blank) {

    /** First line of a text labels file. */
    public static final String MAGIC = "#quantfleet-text-labels 1";

    private static final String BLANK_FIELD = "#blank ";
    private static final String CHARACTERS_FIELD = "#characters ";
    private static final String TEXTS_FIELD = "#texts ";

    public TextLabels {
        texts = List.copyOf(texts);
        characters = List.copyOf(characters);
        Objects.requireNonNull(blank, "blank");
        if (characters.isEmpty()) {
            throw new IllegalArgumentException("Text labels need at least one dictionary character besides the blank");
        }
        for (int index = 0; index < characters.size(); index++) {
            requireSingleLine("Dictionary entry " + (index + 1), characters.get(index));
            if (characters.get(index).isEmpty()) {
                throw new IllegalArgumentException("Dictionary entry " + (index + 1) + " is empty; every non-blank "
                        + "class must decode to at least one character");
            }
        }
        for (int index = 0; index < texts.size(); index++) {
            requireSingleLine("Reference text " + (index + 1), texts.get(index));
        }
    }

    /** Returns the decoder of this dictionary. */
    public CtcGreedyDecoder decoder() {
        return new CtcGreedyDecoder(characters, blank);
    }

    /** Returns whether {@code file} starts with the line {@value #MAGIC}. */
    public static boolean isTextLabelsFile(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return MAGIC.equals(reader.readLine());
        } catch (CharacterCodingException e) {
            // A first line that is not UTF-8 cannot be the magic line, so this is another kind of labels file.
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the labels file " + file, e);
        }
    }

    /**
     * Reads a text labels file in the format of the class comment.
     *
     * @throws InvalidDataException naming the line when the file breaks the format
     */
    public static TextLabels read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new InvalidDataException("Text labels file " + file + " is not valid UTF-8; write it as UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the labels file " + file, e);
        }
        return new Parser(file, lines).parse();
    }

    /** Writes these labels to {@code file} in the format of the class comment, creating or replacing it. */
    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(MAGIC).append('\n');
        text.append(BLANK_FIELD).append(blank.name().toLowerCase(Locale.ROOT)).append('\n');
        text.append(CHARACTERS_FIELD).append(characters.size()).append('\n');
        characters.forEach(character -> text.append(character).append('\n'));
        text.append(TEXTS_FIELD).append(texts.size()).append('\n');
        texts.forEach(line -> text.append(line).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void requireSingleLine(String subject, String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(subject + " contains a line break; each must fit on one line");
        }
    }

    /** Reads the lines of one file, front to back. */
    private static final class Parser {

        private final Path file;
        private final List<String> lines;
        private int next;

        Parser(Path file, List<String> lines) {
            this.file = file;
            this.lines = lines;
        }

        TextLabels parse() {
            String first = take("the first line " + MAGIC);
            if (!first.equals(MAGIC)) {
                throw invalid("starts with '" + first + "'; a text labels file starts with the line " + MAGIC);
            }
            CtcGreedyDecoder.Blank blank = CtcGreedyDecoder.Blank.FIRST;
            String line = take("the line " + CHARACTERS_FIELD + "N");
            if (line.startsWith(BLANK_FIELD)) {
                blank = parseBlank(line.substring(BLANK_FIELD.length()).trim());
                line = take("the line " + CHARACTERS_FIELD + "N");
            }
            int characterCount = count(line, CHARACTERS_FIELD);
            List<String> characters = takeLines(characterCount, "dictionary characters");
            int textCount = count(take("the line " + TEXTS_FIELD + "M"), TEXTS_FIELD);
            List<String> texts = takeLines(textCount, "reference texts");
            if (next < lines.size()) {
                throw invalid("has " + (lines.size() - next) + " lines after the " + textCount + " texts, from line "
                        + (next + 1) + "; the count in '" + TEXTS_FIELD + textCount + "' must equal the number of "
                        + "text lines");
            }
            try {
                return new TextLabels(texts, characters, blank);
            } catch (IllegalArgumentException e) {
                throw invalid("is invalid: " + e.getMessage());
            }
        }

        private CtcGreedyDecoder.Blank parseBlank(String value) {
            return switch (value) {
                case "first" -> CtcGreedyDecoder.Blank.FIRST;
                case "last" -> CtcGreedyDecoder.Blank.LAST;
                default -> throw invalid("has '" + BLANK_FIELD + value + "' on line " + next + "; write '"
                        + BLANK_FIELD + "first' (blank is class 0) or '" + BLANK_FIELD + "last' (blank is the last class)");
            };
        }

        private int count(String line, String field) {
            if (!line.startsWith(field)) {
                throw invalid("has '" + line + "' on line " + next + " where '" + field + "<count>' belongs");
            }
            String problem = "has '" + line + "' on line " + next + "; the count must be an integer of 0 or more";
            int value;
            try {
                value = Integer.parseInt(line.substring(field.length()).trim());
            } catch (NumberFormatException e) {
                throw new InvalidDataException("Text labels file " + file + " " + problem, e);
            }
            if (value < 0) {
                throw invalid(problem);
            }
            return value;
        }

        private String take(String expected) {
            if (next >= lines.size()) {
                throw invalid("ends after " + lines.size() + " lines, before " + expected);
            }
            return lines.get(next++);
        }

        private List<String> takeLines(int count, String kind) {
            if (lines.size() - next < count) {
                throw invalid("promises " + count + " " + kind + " from line " + (next + 1) + ", but only "
                        + (lines.size() - next) + " lines follow");
            }
            List<String> block = new ArrayList<>(lines.subList(next, next + count));
            next += count;
            return block;
        }

        private InvalidDataException invalid(String problem) {
            return new InvalidDataException("Text labels file " + file + " " + problem);
        }
    }
}
