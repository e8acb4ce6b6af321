package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistributionTest {

    @Test
    void quartilesInterpolateLikeNumpy() {
        Distribution distribution = Distribution.of(new double[] {7, 1, 3, 5});

        assertThat(distribution.count()).isEqualTo(4);
        assertThat(distribution.min()).isEqualTo(1);
        assertThat(distribution.p25()).isCloseTo(2.5, within(1e-12));
        assertThat(distribution.median()).isCloseTo(4.0, within(1e-12));
        assertThat(distribution.p75()).isCloseTo(5.5, within(1e-12));
        assertThat(distribution.max()).isEqualTo(7);
    }

    @Test
    void singleValueIsEveryQuantile() {
        Distribution distribution = Distribution.of(new double[] {42});

        assertThat(distribution.min()).isEqualTo(42);
        assertThat(distribution.median()).isEqualTo(42);
        assertThat(distribution.max()).isEqualTo(42);
    }

    @Test
    void inputIsNotReordered() {
        double[] values = {3, 1, 2};

        Distribution.of(values);

        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void emptyInputIsRejected() {
        assertThatThrownBy(() -> Distribution.of(new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one repetition");
    }

    @Test
    void describeShowsMedianAndSpread() {
        assertThat(Distribution.of(new double[] {1, 2, 3, 4, 5}).describe(1))
                .isEqualTo("3.0 (IQR 2.0–4.0, range 1.0–5.0)");
    }
}
