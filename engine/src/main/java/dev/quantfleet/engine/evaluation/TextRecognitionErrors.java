package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.metrics.EditDistance;

import java.util.Arrays;
import java.util.List;

/**
 * How far recognized text lines are from their reference texts, per sample: the Levenshtein
 * distance in Unicode code points and the reference's length in code points. The set's
 * character error rate is {@code sum(edit distances) / sum(reference lengths)}, so long lines
 * weigh more than short ones; a sample is an exact match when its distance is 0.
 *
 * @param editDistances    per sample, the fewest code point insertions, deletions and
 *                         substitutions that turn the recognized text into the reference
 * @param referenceLengths per sample, the reference's length in code points
 */
public record TextRecognitionErrors(int[] editDistances, int[] referenceLengths) {

    public TextRecognitionErrors {
        if (editDistances.length != referenceLengths.length) {
            throw new IllegalArgumentException(editDistances.length + " edit distances and " + referenceLengths.length
                    + " reference lengths were given; give one of each per sample");
        }
        editDistances = editDistances.clone();
        referenceLengths = referenceLengths.clone();
    }

    /**
     * Compares {@code recognized} with {@code references}, sample by sample.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static TextRecognitionErrors of(List<String> recognized, List<String> references) {
        if (recognized.size() != references.size()) {
            throw new IllegalArgumentException(recognized.size() + " recognized texts and " + references.size()
                    + " references were given; give one reference per recognized text");
        }
        int[] distances = new int[recognized.size()];
        int[] lengths = new int[recognized.size()];
        for (int index = 0; index < distances.length; index++) {
            String reference = references.get(index);
            distances[index] = EditDistance.levenshteinCodePoints(recognized.get(index), reference);
            lengths[index] = reference.codePointCount(0, reference.length());
        }
        return new TextRecognitionErrors(distances, lengths);
    }

    @Override
    public int[] editDistances() {
        return editDistances.clone();
    }

    @Override
    public int[] referenceLengths() {
        return referenceLengths.clone();
    }

    public int sampleCount() {
        return editDistances.length;
    }

    /**
     * Returns {@code sum(edit distances) / sum(reference lengths)}. An empty reference adds
     * nothing to the denominator, and the length of whatever was recognized for it to the numerator.
     *
     * @throws IllegalArgumentException if the references hold no character at all, which leaves
     *                                  the rate undefined
     */
    public double characterErrorRate() {
        long characters = Arrays.stream(referenceLengths).asLongStream().sum();
        if (characters == 0) {
            throw new IllegalArgumentException("The " + sampleCount() + " reference texts hold no character, so the "
                    + "character error rate is undefined; give at least one non-empty reference text");
        }
        return (double) Arrays.stream(editDistances).asLongStream().sum() / characters;
    }

    /**
     * Returns the share of samples recognized exactly.
     *
     * @throws IllegalArgumentException if there is no sample
     */
    public double exactMatch() {
        if (sampleCount() == 0) {
            throw new IllegalArgumentException("Exact match needs at least one sample");
        }
        return (double) Arrays.stream(editDistances).filter(distance -> distance == 0).count() / sampleCount();
    }
}
