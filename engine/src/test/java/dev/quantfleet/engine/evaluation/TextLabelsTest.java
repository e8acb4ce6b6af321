package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextLabelsTest {

    @TempDir
    Path folder;

    @Test
    void writeThenReadKeepsLiteralLines() throws Exception {
        TextLabels labels = new TextLabels(List.of("#not a header", "", " two  spaces ", "\u4e2d\u6587"),
                List.of("#", " ", "\u4e2d", "\u6587"), CtcGreedyDecoder.Blank.LAST);
        Path file = folder.resolve("labels.txt");

        labels.write(file);
        TextLabels read = TextLabels.read(file);

        assertThat(Files.readString(file)).startsWith(TextLabels.MAGIC + "\n#blank last\n#characters 4\n#\n \n");
        assertThat(read.texts()).containsExactly("#not a header", "", " two  spaces ", "\u4e2d\u6587");
        assertThat(read.characters()).containsExactly("#", " ", "\u4e2d", "\u6587");
        assertThat(read.blank()).isEqualTo(CtcGreedyDecoder.Blank.LAST);
    }

    @Test
    void readsCrLfAndMissingFinalNewlineWithBlankFirstByDefault() throws Exception {
        Path file = Files.writeString(folder.resolve("labels"),
                TextLabels.MAGIC + "\r\n#characters 2\r\na\r\nb\r\n#texts 2\r\nab\r\nba", StandardCharsets.UTF_8);

        TextLabels read = TextLabels.read(file);

        assertThat(read.blank()).isEqualTo(CtcGreedyDecoder.Blank.FIRST);
        assertThat(read.characters()).containsExactly("a", "b");
        assertThat(read.texts()).containsExactly("ab", "ba");
    }

    @Test
    void labelsReadSniffsContentNotFileName() throws Exception {
        Path textLabels = folder.resolve("0a1b2c.txt");
        new TextLabels(List.of("ab"), List.of("a", "b"), CtcGreedyDecoder.Blank.FIRST).write(textLabels);
        Path classes = Files.writeString(folder.resolve("classes"), "1\n0\n");

        Labels texts = Labels.read(textLabels);
        Labels integers = Labels.read(classes);

        assertThat(texts.texts().texts()).containsExactly("ab");
        assertThat(texts.classes()).isNull();
        assertThat(integers.classes()).containsExactly(1, 0);
        assertThat(integers.texts()).isNull();
    }

    @Test
    void rejectsTextCountThatDoesNotMatchLines() throws Exception {
        Path tooFew = Files.writeString(folder.resolve("few.txt"),
                TextLabels.MAGIC + "\n#characters 1\na\n#texts 3\na\na\n");
        Path tooMany = Files.writeString(folder.resolve("many.txt"),
                TextLabels.MAGIC + "\n#characters 1\na\n#texts 1\na\na\n");

        assertThatThrownBy(() -> TextLabels.read(tooFew))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("promises 3 reference texts from line 5, but only 2 lines follow");
        assertThatThrownBy(() -> TextLabels.read(tooMany))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("1 lines after the 1 texts, from line 6");
    }

    @Test
    void rejectsUnknownBlankAndBadCount() throws Exception {
        Path blank = Files.writeString(folder.resolve("blank.txt"),
                TextLabels.MAGIC + "\n#blank middle\n#characters 1\na\n#texts 0\n");
        Path count = Files.writeString(folder.resolve("count.txt"), TextLabels.MAGIC + "\n#characters many\n");

        assertThatThrownBy(() -> TextLabels.read(blank)).hasMessageContaining("#blank middle").hasMessageContaining("line 2");
        assertThatThrownBy(() -> TextLabels.read(count)).hasMessageContaining("#characters many")
                .hasMessageContaining("integer of 0 or more");
    }

    @Test
    void rejectsEmptyDictionaryEntryAndMultiLineText() {
        assertThatThrownBy(() -> new TextLabels(List.of("a"), List.of("a", ""), CtcGreedyDecoder.Blank.FIRST))
                .hasMessageContaining("Dictionary entry 2 is empty");
        assertThatThrownBy(() -> new TextLabels(List.of("a\nb"), List.of("a"), CtcGreedyDecoder.Blank.FIRST))
                .hasMessageContaining("Reference text 1 contains a line break");
    }

    @Test
    void integerLabelErrorPointsToTextLabelsFormat() throws Exception {
        Path labels = Files.writeString(folder.resolve("texts.txt"), "hello world\n");

        assertThatThrownBy(() -> Labels.read(labels))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'hello world', not an integer")
                .hasMessageContaining(TextLabels.MAGIC);
    }
}
