package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProportionIntervalTest {

    @Test
    void wilsonIntervalOfHalfOverThousand() {
        // p = 0.5, n = 1000: SE = sqrt(0.25 / 1000) = 0.015811; z^2 = 3.841459
        // centre (0.5 + 0.001921) / 1.003841 = 0.5, half width 1.959964 * sqrt(0.00025 + 9.6037e-7) / 1.003841 = 0.030930
        ProportionInterval interval = ProportionInterval.wilson95(0.5, 1000);

        assertThat(interval.standardError()).isCloseTo(0.0158114, within(1e-7));
        assertThat(interval.low()).isCloseTo(0.469070, within(1e-6));
        assertThat(interval.high()).isCloseTo(0.530930, within(1e-6));
    }

    @Test
    void wilsonIntervalStaysInsideZeroToOne() {
        ProportionInterval none = ProportionInterval.wilson95(0, 40);
        ProportionInterval all = ProportionInterval.wilson95(1, 40);

        assertThat(none.low()).isCloseTo(0, within(1e-12));
        // upper end for 0 of 40: z^2 / (n + z^2) = 3.841459 / 43.841459
        assertThat(none.high()).isCloseTo(0.087622, within(1e-6));
        assertThat(all.low()).isCloseTo(1 - 0.087622, within(1e-6));
        assertThat(all.high()).isCloseTo(1, within(1e-12));
    }

    @Test
    void rejectsEmptySampleAndShareOutsideRange() {
        assertThatThrownBy(() -> ProportionInterval.wilson95(0.5, 0)).hasMessageContaining("over 0");
        assertThatThrownBy(() -> ProportionInterval.wilson95(1.5, 10)).hasMessageContaining("got 1.5");
    }
}
