package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.evaluation.CtcGreedyDecoder.Decoded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CtcGreedyDecoderTest {

    /** Classes: 0 blank, 1 "a", 2 "b", 3 " ". */
    private final CtcGreedyDecoder decoder = new CtcGreedyDecoder(List.of("a", "b", " "));

    @Test
    void mergesRepeatsAndDropsBlanks() {
        assertThat(decodeArgmax(1, 1, 0, 1)).isEqualTo("aa");
        assertThat(decodeArgmax(1, 1, 1)).isEqualTo("a");
        assertThat(decodeArgmax(0, 2, 2, 2, 0)).isEqualTo("b");
        assertThat(decodeArgmax(1, 2, 1, 2)).isEqualTo("abab");
        assertThat(decodeArgmax(2, 3, 3, 0, 3, 1)).isEqualTo("b  a");
    }

    @Test
    void blankLastShiftsCharacterClasses() {
        // Classes: 0 "a", 1 "b", 2 " ", 3 blank.
        CtcGreedyDecoder blankLast = new CtcGreedyDecoder(List.of("a", "b", " "), CtcGreedyDecoder.Blank.LAST);

        String text = blankLast.decode(oneHotScores(0, 0, 3, 0, 1, 2, 2, 3), new long[] {1, 8, 4}).get(0).text();

        assertThat(text).isEqualTo("aab ");
    }

    @Test
    void allBlanksDecodeToEmptyLine() {
        Decoded decoded = decoder.decode(oneHotScores(0, 0, 0), new long[] {1, 3, 4}).get(0);

        assertThat(decoded.text()).isEmpty();
        assertThat(decoded.confidence()).isZero();
    }

    @Test
    void confidenceIsMeanOfEmittedScores() {
        float[] scores = {
            0.1f, 0.7f, 0.1f, 0.1f,
            0.2f, 0.6f, 0.1f, 0.1f,
            0.9f, 0.05f, 0.05f, 0.0f,
            0.1f, 0.1f, 0.5f, 0.3f,
        };

        Decoded decoded = decoder.decode(scores, new long[] {1, 4, 4}).get(0);

        assertThat(decoded.text()).isEqualTo("ab");
        // Only the first step of the "a" run counts, then the "b" step: (0.7 + 0.5) / 2.
        assertThat(decoded.confidence()).isCloseTo(0.6f, within(1e-6f));
    }

    @Test
    void decodesEachBatchItemSeparately() {
        float[] first = oneHotScores(1, 0, 1);
        float[] second = oneHotScores(2, 2, 3);
        float[] batch = new float[first.length + second.length];
        System.arraycopy(first, 0, batch, 0, first.length);
        System.arraycopy(second, 0, batch, first.length, second.length);

        List<Decoded> lines = decoder.decode(batch, new long[] {2, 3, 4});

        assertThat(lines).extracting(Decoded::text).containsExactly("aa", "b ");
    }

    @Test
    void rejectsWrongClassCount() {
        assertThatThrownBy(() -> decoder.decode(new float[15], new long[] {1, 3, 5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[n, T, 4]")
                .hasMessageContaining("[1, 3, 5]");
    }

    @Test
    void rejectsLengthThatDoesNotMatchShape() {
        assertThatThrownBy(() -> decoder.decode(new float[10], new long[] {1, 3, 4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 12 scores, got 10");
    }

    @Test
    void paddleOcrKeysBlankFirstSpaceLast(@TempDir Path directory) throws IOException {
        Path keys = directory.resolve("keys.txt");
        Files.writeString(keys, "x\ny\n\u4e2d", StandardCharsets.UTF_8);

        CtcGreedyDecoder paddle = CtcGreedyDecoder.paddleOcr(keys);

        assertThat(paddle.classCount()).isEqualTo(5);
        float[] scores = new float[4 * 5];
        int[] classes = {3, 4, 1, 2};
        for (int step = 0; step < classes.length; step++) {
            scores[step * 5 + classes[step]] = 1f;
        }
        assertThat(paddle.decode(scores, new long[] {1, 4, 5}).get(0).text()).isEqualTo("\u4e2d xy");
    }

    private String decodeArgmax(int... classes) {
        return decoder.decode(oneHotScores(classes), new long[] {1, classes.length, 4}).get(0).text();
    }

    private static float[] oneHotScores(int... classes) {
        float[] scores = new float[classes.length * 4];
        for (int step = 0; step < classes.length; step++) {
            scores[step * 4 + classes[step]] = 1f;
        }
        return scores;
    }
}
