package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WallTimeRatioTest {

    @Test
    void ratioOfWallTimes() {
        assertThat(WallTimeRatio.of(1_100, 1_000)).isCloseTo(1.1, within(1e-12));
        assertThat(WallTimeRatio.format(WallTimeRatio.of(2_345, 1_000))).isEqualTo("2.35");
    }

    @Test
    void goalComparesPrintedDecimals() {
        assertThat(WallTimeRatio.meets(1.104, 1.1)).as("prints 1.10").isTrue();
        assertThat(WallTimeRatio.meets(1.0, 1.1)).isTrue();
        assertThat(WallTimeRatio.meets(1.106, 1.1)).as("prints 1.11").isFalse();
        assertThat(WallTimeRatio.meets(1.84, 1.1)).isFalse();
    }

    @Test
    void zeroReferenceRejected() {
        assertThatThrownBy(() -> WallTimeRatio.of(5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference wall time is 0 ms");
    }
}
