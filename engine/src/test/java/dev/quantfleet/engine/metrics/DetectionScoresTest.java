package dev.quantfleet.engine.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DetectionScoresTest {

    @Test
    void aucCountsTiesHalf() {
        // pairs won: 0.9 beats all three negatives, 0.8 too; 0.4 beats 0.1, ties 0.4 (one half), loses to 0.7
        DetectionScores scores = DetectionScores.of(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.4, 0.1});

        assertThat(scores.rocAuc()).isCloseTo(7.5 / 9, within(1e-12));
    }

    @Test
    void aucOfAllTiedScoresIsOneHalf() {
        DetectionScores scores = DetectionScores.of(new double[] {0.5, 0.5}, new double[] {0.5, 0.5, 0.5});

        assertThat(scores.rocAuc()).isEqualTo(0.5);
        assertThat(scores.detectionRateAtZeroFalseAccepts()).isZero();
    }

    @Test
    void aucOfPerfectAndReversedSeparation() {
        assertThat(DetectionScores.of(new double[] {0.6, 0.9}, new double[] {0.1, 0.5}).rocAuc()).isEqualTo(1.0);
        assertThat(DetectionScores.of(new double[] {0.1, 0.5}, new double[] {0.6, 0.9}).rocAuc()).isZero();
    }

    @Test
    void aucOfTiedRunsOnBothSides() {
        // positives 0.3 x2 and 0.6 x2, negatives 0.3 x2 and 0.1. Each 0.3 positive wins 1 and ties 2, so it scores
        // 2 points. Each 0.6 positive wins 3. AUC = (2 + 2 + 3 + 3) / (4 * 3).
        DetectionScores scores = DetectionScores.of(new double[] {0.6, 0.3, 0.6, 0.3}, new double[] {0.3, 0.1, 0.3});

        assertThat(scores.rocAuc()).isCloseTo(10.0 / 12, within(1e-12));
    }

    @Test
    void detectionCountsPositivesAboveHighestNegative() {
        DetectionScores scores = DetectionScores.of(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.4, 0.1});

        assertThat(scores.highestNegativeScore()).isEqualTo(0.7);
        assertThat(scores.detectionRateAtZeroFalseAccepts()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void positiveTiedWithHighestNegativeIsMissed() {
        // AUC: 0.7 beats 0.2 and ties 0.7 (1.5), 0.9 beats both (2); detection: only 0.9 is above 0.7
        DetectionScores scores = DetectionScores.of(new double[] {0.7, 0.9}, new double[] {0.7, 0.2});

        assertThat(scores.rocAuc()).isCloseTo(3.5 / 4, within(1e-12));
        assertThat(scores.detectionRateAtZeroFalseAccepts()).isEqualTo(0.5);
    }

    @Test
    void labelsSplitScores() {
        DetectionScores scores = DetectionScores.of(new double[] {0.9, 0.7, 0.8, 0.4, 0.4, 0.1},
                new long[] {1, 0, 1, 0, 1, 0});

        assertThat(scores.positiveCount()).isEqualTo(3);
        assertThat(scores.negativeCount()).isEqualTo(3);
        assertThat(scores.rocAuc()).isCloseTo(7.5 / 9, within(1e-12));
    }

    @Test
    void nanScoreMakesEveryMeasureNaN() {
        DetectionScores scores = DetectionScores.of(new double[] {0.9, Double.NaN}, new double[] {0.1});

        assertThat(scores.rocAuc()).isNaN();
        assertThat(scores.detectionRateAtZeroFalseAccepts()).isNaN();
        assertThat(scores.highestNegativeScore()).isNaN();
    }

    @Test
    void hanleyMcNeilStandardError() {
        // A = 3/4 with P = N = 2: Q1 = 0.6, Q2 = 0.642857, SE^2 = (0.1875 + 0.0375 + 0.080357) / 4
        DetectionScores scores = DetectionScores.of(new double[] {0.9, 0.4}, new double[] {0.5, 0.1});

        assertThat(scores.rocAuc()).isEqualTo(0.75);
        assertThat(scores.rocAucStandardError()).isCloseTo(0.2762956, within(1e-6));
        assertThat(scores.rocAucConfidenceInterval95()[0]).isCloseTo(0.2084705, within(1e-6));
        assertThat(scores.rocAucConfidenceInterval95()[1]).isEqualTo(1.0);
    }

    @Test
    void perfectSeparationHasZeroStandardError() {
        DetectionScores scores = DetectionScores.of(new double[] {0.6, 0.9}, new double[] {0.1, 0.5});

        assertThat(scores.rocAucStandardError()).isZero();
    }

    @Test
    void rejectsInvalidLabelsAndMissingClass() {
        assertThatThrownBy(() -> DetectionScores.of(new double[] {0.1, 0.2}, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Label 2 of sample 2");
        assertThatThrownBy(() -> DetectionScores.of(new double[] {0.1, 0.2}, new long[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 positives and 0 negatives");
        assertThatThrownBy(() -> DetectionScores.of(new double[] {0.1}, new long[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 scores and 2 labels");
    }
}
