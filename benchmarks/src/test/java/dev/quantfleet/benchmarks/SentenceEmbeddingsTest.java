package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SentenceEmbeddingsTest {

    @Test
    void meanPoolSkipsPaddingAndNormalizes() {
        float[] hidden = {
                1, 2,
                3, 6,
                100, 100,
        };

        float[] embedding = SentenceEmbeddings.meanPool(FloatBuffer.wrap(hidden), new long[] {1, 3, 2},
                LongBuffer.wrap(new long[] {1, 1, 0}));

        double norm = Math.sqrt(2 * 2 + 4 * 4);
        assertThat(embedding[0]).isCloseTo((float) (2 / norm), within(1e-6f));
        assertThat(embedding[1]).isCloseTo((float) (4 / norm), within(1e-6f));
    }

    @Test
    void cosineOfScaledVectorIsOne() {
        assertThat(SentenceEmbeddings.cosine(new float[] {1, 2, 3}, new float[] {2, 4, 6})).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void cosineOfOrthogonalVectorsIsZero() {
        assertThat(SentenceEmbeddings.cosine(new float[] {1, 0}, new float[] {0, 3})).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void meanCosineAveragesPairs() {
        List<float[]> reference = List.of(new float[] {1, 0}, new float[] {1, 0});
        List<float[]> candidate = List.of(new float[] {1, 0}, new float[] {0, 1});

        assertThat(SentenceEmbeddings.meanCosine(reference, candidate)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void meanCosineRejectsListsOfDifferentLength() {
        assertThatThrownBy(() -> SentenceEmbeddings.meanCosine(List.of(new float[] {1}), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 and 0");
    }
}
