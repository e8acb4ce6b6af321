package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OcrTextLinesTest {

    private static final List<String> TEXTS = List.of(
            "Quantfleet finds the best quantization strategy for an ONNX model on a fleet of workers",
            "The recognizer reads one text line and returns class scores for every column of pixels",
            "Words with characters outside the dictionary like caf\u00e9 are left out of every line");

    @Test
    void linesAreDistinctBoundedAndInOrder() {
        List<String> lines = OcrTextLines.build(TEXTS, word -> true, 6, 0);

        assertThat(lines).hasSize(6).doesNotHaveDuplicates();
        assertThat(lines).allSatisfy(line -> assertThat(line.length())
                .isBetween(OcrTextLines.MIN_CHARACTERS, OcrTextLines.MAX_CHARACTERS));
        assertThat(lines.get(0)).startsWith("Quantfleet");
        assertThat(lines).as("runs of consecutive words").allSatisfy(line ->
                assertThat(String.join(" ", TEXTS)).contains(line));
    }

    @Test
    void sameSeedGivesSameLines() {
        assertThat(OcrTextLines.build(TEXTS, word -> true, 5, 3)).isEqualTo(OcrTextLines.build(TEXTS, word -> true, 5, 3));
    }

    @Test
    void unrecognizableWordsAreLeftOut() {
        List<String> lines = OcrTextLines.build(TEXTS, word -> word.chars().allMatch(c -> c < 128), 8, 0);

        assertThat(String.join(" ", lines)).doesNotContain("caf\u00e9");
    }

    @Test
    void tooFewTextsFailNamingCounts() {
        assertThatThrownBy(() -> OcrTextLines.build(List.of("one short text"), word -> true, 5, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("but 5 are needed");
    }
}
