package dev.quantfleet.engine.metrics;

/** Levenshtein distance between strings, used for character error rates and name suggestions. */
public final class EditDistance {

    private EditDistance() {
    }

    /**
     * Returns the fewest single-character insertions, deletions and substitutions that turn {@code a}
     * into {@code b}, counting UTF-16 code units, so a character outside the Basic Multilingual Plane
     * counts as two.
     */
    public static int levenshtein(String a, String b) {
        return levenshtein(a.chars().toArray(), b.chars().toArray());
    }

    /**
     * Returns the fewest insertions, deletions and substitutions of single Unicode code points that
     * turn {@code a} into {@code b}, as character error rates count them.
     */
    public static int levenshteinCodePoints(String a, String b) {
        return levenshtein(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static int levenshtein(int[] a, int[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }
}
