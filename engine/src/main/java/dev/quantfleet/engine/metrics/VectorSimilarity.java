package dev.quantfleet.engine.metrics;

/** Similarity of float vectors, accumulated in double precision. */
public final class VectorSimilarity {

    private VectorSimilarity() {
    }

    /**
     * Returns the cosine between {@code a[offset, offset + length)} and the same slice of {@code b}.
     * The result is NaN when either slice is all zeros.
     */
    public static double cosine(float[] a, float[] b, int offset, int length) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int index = offset; index < offset + length; index++) {
            dot += (double) a[index] * b[index];
            normA += (double) a[index] * a[index];
            normB += (double) b[index] * b[index];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
