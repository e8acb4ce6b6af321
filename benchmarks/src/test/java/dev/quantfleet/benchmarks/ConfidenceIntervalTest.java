package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ConfidenceIntervalTest {

    @Test
    void wilsonMatchesHandComputedValues() {
        // p = 0.8, n = 10: center (0.8 + 1.96^2 / 20) / (1 + 1.96^2 / 10) = 0.7167,
        // half width 1.96 sqrt(0.016 + 1.96^2 / 400) / 1.3841 = 0.2266.
        ConfidenceInterval eightOfTen = ConfidenceInterval.wilson(8, 10);

        assertThat(eightOfTen.low()).isCloseTo(0.4902, within(1e-4));
        assertThat(eightOfTen.high()).isCloseTo(0.9433, within(1e-4));
    }

    @Test
    void wilsonKeepsWidthAtZeroAndOne() {
        ConfidenceInterval none = ConfidenceInterval.wilson(0, 10);
        ConfidenceInterval all = ConfidenceInterval.wilson(10, 10);

        assertThat(none.low()).isZero();
        assertThat(none.high()).isCloseTo(0.2775, within(1e-4));
        assertThat(all.low()).isCloseTo(0.7225, within(1e-4));
        assertThat(all.high()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void wilsonRejectsImpossibleCounts() {
        assertThatThrownBy(() -> ConfidenceInterval.wilson(3, 2)).hasMessageContaining("3 successes of 2 trials");
        assertThatThrownBy(() -> ConfidenceInterval.wilson(0, 0)).hasMessageContaining("trials must be positive");
    }

    @Test
    void bootstrapOfConstantRatioHasNoWidth() {
        ConfidenceInterval interval = ConfidenceInterval.bootstrapRatio(new int[] {1, 2, 3}, new int[] {10, 20, 30},
                500, 0);

        assertThat(interval.low()).isCloseTo(0.1, within(1e-12));
        assertThat(interval.high()).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void bootstrapBracketsRatioAndRepeatsWithSeed() {
        int[] edits = {0, 0, 5, 1, 0, 2, 0, 0, 3, 0};
        int[] lengths = {10, 12, 9, 20, 15, 11, 8, 14, 10, 16};
        double ratio = 11.0 / 125;

        ConfidenceInterval first = ConfidenceInterval.bootstrapRatio(edits, lengths, 1000, 7);
        ConfidenceInterval second = ConfidenceInterval.bootstrapRatio(edits, lengths, 1000, 7);

        assertThat(first.low()).isLessThan(ratio);
        assertThat(first.high()).isGreaterThan(ratio);
        assertThat(first.low()).isGreaterThanOrEqualTo(0);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void bootstrapRejectsZeroDenominators() {
        assertThatThrownBy(() -> ConfidenceInterval.bootstrapRatio(new int[] {1}, new int[] {0}, 10, 0))
                .hasMessageContaining("Every denominator is 0");
    }
}
