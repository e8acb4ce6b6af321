package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TextRecognitionMetricsTest {

    /** Classes: 0 blank, 1 "a", 2 "b", 3 "c", 4 " ". */
    private static final List<String> CHARACTERS = List.of("a", "b", "c", " ");

    /** Returns one sample whose output picks {@code classes} at successive time steps, shape [1, T, 5]. */
    private static EvaluatedSample line(int... classes) {
        float[] scores = new float[classes.length * 5];
        for (int step = 0; step < classes.length; step++) {
            for (int c = 0; c < 5; c++) {
                scores[step * 5 + c] = c == classes[step] ? 0.9f : 0.025f;
            }
        }
        return new EvaluatedSample(new Sample("line", Map.of()),
                List.of(new OutputTensor("softmax", new long[] {1, classes.length, 5}, scores)));
    }

    private static double score(String metric, List<EvaluatedSample> samples, String... references) {
        Labels labels = Labels.ofTexts(new TextLabels(List.of(references), CHARACTERS, CtcGreedyDecoder.Blank.FIRST));
        return TaskMetrics.byName(metric).score(samples, labels);
    }

    @Test
    void metricsFoundThroughServiceLoader() {
        assertThat(TaskMetrics.knownNames()).contains("cer", "exact-match", "accuracy");
        assertThat(MetricDirections.of("cer")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirections.of("exact-match")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirections.of("baseline.cer")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
    }

    @Test
    void decodingMergesRepeatsAndDropsBlanks() {
        // "a a blank a b b" decodes to "aab"; "blank c c blank" to "c".
        List<EvaluatedSample> samples = List.of(line(1, 1, 0, 1, 2, 2), line(0, 3, 3, 0));

        assertThat(score("exact-match", samples, "aab", "c")).isEqualTo(1.0);
        assertThat(score("cer", samples, "aab", "c")).isZero();
    }

    @Test
    void cerCountsSubstitutionInsertionAndDeletion() {
        List<EvaluatedSample> samples = List.of(
                line(1, 2, 3),          // "abc" for "abb": one substitution
                line(1, 0, 1, 2),       // "aab" for "ab": one insertion
                line(3),                // "c" for "cab": two deletions
                line(1, 4, 2));         // "a b" for "a b": exact
        double cer = score("cer", samples, "abb", "ab", "cab", "a b");

        // (1 + 1 + 2 + 0) edits over 3 + 2 + 3 + 3 = 11 reference characters.
        assertThat(cer).isCloseTo(4.0 / 11, within(1e-12));
        assertThat(score("exact-match", samples, "abb", "ab", "cab", "a b")).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void emptyReferenceCountsRecognizedCharactersAsInsertions() {
        List<EvaluatedSample> samples = List.of(line(1, 2), line(0, 0), line(3, 0));

        // "ab" for "": two insertions and no reference character; "" for "": exact; "c" for "cc": one deletion.
        assertThat(score("cer", samples, "", "", "cc")).isCloseTo(3.0 / 2, within(1e-12));
        assertThat(score("exact-match", samples, "", "", "cc")).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void cerUndefinedWhenEveryReferenceIsEmpty() {
        List<EvaluatedSample> samples = List.of(line(0), line(0));

        assertThatThrownBy(() -> score("cer", samples, "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hold no character");
        assertThat(score("exact-match", samples, "", "")).isEqualTo(1.0);
    }

    @Test
    void cerCountsCodePointsNotUtf16Units() {
        TextRecognitionErrors errors = TextRecognitionErrors.of(List.of("x\uD83D\uDE00"), List.of("\uD83D\uDE00"));

        assertThat(errors.referenceLengths()).containsExactly(1);
        assertThat(errors.editDistances()).containsExactly(1);
        assertThat(errors.characterErrorRate()).isEqualTo(1.0);
    }

    @Test
    void rejectsClassLabels() {
        List<EvaluatedSample> samples = List.of(line(1));

        assertThatThrownBy(() -> TaskMetrics.byName("cer").score(samples, Labels.ofClasses(new long[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs reference texts")
                .hasMessageContaining(TextLabels.MAGIC);
    }

    @Test
    void classLabelsRejectedBeforeScoring() {
        Labels classes = Labels.ofClasses(new long[] {1, 0});

        for (String metric : List.of("cer", "exact-match")) {
            assertThatThrownBy(() -> TaskMetrics.byName(metric).requireLabels(classes))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Metric '" + metric + "' needs reference texts")
                    .hasMessageContaining("section \"Searching the recognizer for its character error rate\"")
                    .hasMessageContaining("not class labels");
        }
    }

    @Test
    void textLabelsPassTheEarlyCheck() {
        Labels texts = Labels.ofTexts(new TextLabels(List.of("ab"), CHARACTERS, CtcGreedyDecoder.Blank.FIRST));

        assertThatCode(() -> TaskMetrics.byName("cer").requireLabels(texts)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TaskMetrics.byName("accuracy").requireLabels(texts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Metric 'accuracy' needs class labels")
                .hasMessageContaining("not reference texts");
    }

    @Test
    void rejectsDictionaryOfOtherSize() {
        List<EvaluatedSample> samples = List.of(line(1, 2));
        Labels labels = Labels.ofTexts(new TextLabels(List.of("ab"), List.of("a", "b"), CtcGreedyDecoder.Blank.FIRST));

        assertThatThrownBy(() -> TaskMetrics.byName("cer").score(samples, labels))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, T, 3]")
                .hasMessageContaining("[1, 2, 5]");
    }

    @Test
    void rejectsTextCountMismatch() {
        List<EvaluatedSample> samples = new ArrayList<>(List.of(line(1), line(2)));

        assertThatThrownBy(() -> score("exact-match", samples, "a"))
                .hasMessageContaining("1 texts and 2 samples");
    }
}
