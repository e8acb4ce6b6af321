package dev.quantfleet.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Short text lines for the OCR benchmarks: runs of consecutive words of the package descriptions
 * ({@link PackageTexts#extendedTexts()}), each line {@value #MIN_CHARACTERS} to
 * {@value #MAX_CHARACTERS} characters long, the length drawn per line from a seeded generator.
 * Words with a character that the recognizer's dictionary lacks are left out, because no
 * model could recognize them. Every line is distinct, so sets cut from one list share no text.
 */
final class OcrTextLines {

    static final int MIN_CHARACTERS = 6;
    static final int MAX_CHARACTERS = 28;

    private OcrTextLines() {
    }

    /**
     * Returns {@code count} distinct lines built from {@code texts} in order.
     *
     * @param recognizable whether the recognizer's dictionary has every character of a word
     * @throws IllegalStateException if the texts run out first
     */
    static List<String> build(List<String> texts, Predicate<String> recognizable, int count, long seed) {
        Random random = new Random(seed);
        Set<String> lines = new LinkedHashSet<>();
        StringBuilder line = new StringBuilder();
        int targetLength = nextTargetLength(random);
        for (String text : texts) {
            for (String word : text.split("\\s+")) {
                if (word.isEmpty() || word.length() > MAX_CHARACTERS || !recognizable.test(word)) {
                    continue;
                }
                if (!line.isEmpty() && line.length() + 1 + word.length() > targetLength) {
                    if (line.length() >= MIN_CHARACTERS) {
                        lines.add(line.toString());
                        if (lines.size() == count) {
                            return new ArrayList<>(lines);
                        }
                    }
                    line.setLength(0);
                    targetLength = nextTargetLength(random);
                }
                if (!line.isEmpty()) {
                    line.append(' ');
                }
                line.append(word);
            }
        }
        throw new IllegalStateException("The package descriptions give only " + lines.size() + " distinct lines of "
                + MIN_CHARACTERS + " to " + MAX_CHARACTERS + " characters, but " + count + " are needed; ask for "
                + "fewer lines");
    }

    private static int nextTargetLength(Random random) {
        return MIN_CHARACTERS + random.nextInt(MAX_CHARACTERS - MIN_CHARACTERS + 1);
    }
}
