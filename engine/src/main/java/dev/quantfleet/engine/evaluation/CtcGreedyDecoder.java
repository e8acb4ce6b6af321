package dev.quantfleet.engine.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy CTC decoding of a text line recognizer's output {@code [n, T, C]}: at each of the T
 * time steps take the class with the highest score, merge runs of the same class, then drop
 * the blank class. So "a a blank a" decodes to "aa" and "a a a" to "a". The blank is class 0
 * ({@link Blank#FIRST}, PaddleOCR's layout) or class C - 1 ({@link Blank#LAST}); the other
 * classes map to the characters in class order.
 */
public final class CtcGreedyDecoder {

    /** Position of the CTC blank class among the C classes. */
    public enum Blank {
        /** Class 0 is the blank and class {@code i > 0} is {@code characters.get(i - 1)}. */
        FIRST,
        /** Class C - 1 is the blank and class {@code i < C - 1} is {@code characters.get(i)}. */
        LAST
    }

    private final List<String> characters;
    private final Blank blank;

    /** Creates a decoder with the blank first; {@code characters} are those of classes 1 to C - 1. */
    public CtcGreedyDecoder(List<String> characters) {
        this(characters, Blank.FIRST);
    }

    /** Creates a decoder for the non-blank {@code characters}, in class order, and the blank at {@code blank}. */
    public CtcGreedyDecoder(List<String> characters, Blank blank) {
        this.characters = List.copyOf(characters);
        this.blank = blank;
    }

    /** Builds the decoder for PaddleOCR recognizers from {@link #paddleOcrCharacters}, blank first. */
    public static CtcGreedyDecoder paddleOcr(Path keysFile) throws IOException {
        return new CtcGreedyDecoder(paddleOcrCharacters(keysFile));
    }

    /**
     * Returns the non-blank characters of a PaddleOCR recognizer: one per line of its key file
     * (e.g. {@code ppocr_keys_v1.txt}), then a space, which PaddleOCR appends as the last class.
     * With the blank first, the 6623-line {@code ppocr_keys_v1.txt} gives the 6625 classes of
     * the PP-OCRv4 recognizer.
     */
    public static List<String> paddleOcrCharacters(Path keysFile) throws IOException {
        List<String> characters = new ArrayList<>(Files.readAllLines(keysFile, StandardCharsets.UTF_8));
        characters.add(" ");
        return characters;
    }

    /** Number of classes the scores must have, blank included. */
    public int classCount() {
        return characters.size() + 1;
    }

    /** A decoded line and the mean of the winning scores of its characters (0 for an empty line). */
    public record Decoded(String text, float confidence) {
    }

    /**
     * Decodes each of the {@code shape[0]} sequences of {@code scores}, laid out row-major as
     * {@code [n, T, C]}.
     *
     * @throws IllegalArgumentException when the shape is not rank 3, C differs from
     *                                  {@link #classCount()}, or the array length does not match
     */
    public List<Decoded> decode(float[] scores, long[] shape) {
        if (shape.length != 3 || shape[2] != classCount()) {
            throw new IllegalArgumentException("Expected scores of shape [n, T, " + classCount() + "], got "
                    + Arrays.toString(shape));
        }
        int batch = Math.toIntExact(shape[0]);
        int timeSteps = Math.toIntExact(shape[1]);
        if ((long) batch * timeSteps * classCount() != scores.length) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " needs "
                    + (long) batch * timeSteps * classCount() + " scores, got " + scores.length);
        }
        List<Decoded> lines = new ArrayList<>(batch);
        for (int item = 0; item < batch; item++) {
            lines.add(decodeSequence(scores, item * timeSteps * classCount(), timeSteps));
        }
        return lines;
    }

    private Decoded decodeSequence(float[] scores, int offset, int timeSteps) {
        int blankClass = blank == Blank.FIRST ? 0 : characters.size();
        int firstCharacterClass = blank == Blank.FIRST ? 1 : 0;
        StringBuilder text = new StringBuilder();
        double scoreSum = 0;
        int emitted = 0;
        int previous = -1;
        for (int step = 0; step < timeSteps; step++) {
            int rowStart = offset + step * classCount();
            int best = argmax(scores, rowStart, classCount());
            if (best != blankClass && best != previous) {
                text.append(characters.get(best - firstCharacterClass));
                scoreSum += scores[rowStart + best];
                emitted++;
            }
            previous = best;
        }
        float confidence = emitted == 0 ? 0f : (float) (scoreSum / emitted);
        return new Decoded(text.toString(), confidence);
    }

    /** Index of the highest score in the row; the first one on ties. */
    private static int argmax(float[] scores, int start, int length) {
        int best = 0;
        for (int index = 1; index < length; index++) {
            if (scores[start + index] > scores[start + best]) {
                best = index;
            }
        }
        return best;
    }
}
