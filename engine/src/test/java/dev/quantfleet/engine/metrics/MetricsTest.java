package dev.quantfleet.engine.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    @Test
    void levenshteinHandChecked() {
        assertThat(EditDistance.levenshtein("", "")).isZero();
        assertThat(EditDistance.levenshtein("abc", "")).isEqualTo(3);
        assertThat(EditDistance.levenshtein("", "ab")).isEqualTo(2);
        assertThat(EditDistance.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.levenshtein("flaw", "lawn")).isEqualTo(2);
        assertThat(EditDistance.levenshtein("aab", "ab")).isEqualTo(1);
        assertThat(EditDistance.levenshtein("same", "same")).isZero();
    }

    @Test
    void cosineOfSlices() {
        float[] a = {9f, 1f, 0f, 5f};
        float[] b = {7f, 2f, 0f, -5f};

        assertThat(VectorSimilarity.cosine(a, a, 0, 4)).isCloseTo(1.0, within(1e-12));
        assertThat(VectorSimilarity.cosine(a, b, 1, 1)).isCloseTo(1.0, within(1e-12));
        assertThat(VectorSimilarity.cosine(a, b, 3, 1)).isCloseTo(-1.0, within(1e-12));
        assertThat(VectorSimilarity.cosine(a, b, 1, 2)).isCloseTo(1.0, within(1e-12));
        assertThat(VectorSimilarity.cosine(a, b, 2, 1)).isNaN();
    }
}
