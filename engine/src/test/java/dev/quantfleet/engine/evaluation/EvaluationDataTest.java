package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.testing.ModelFiles;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvaluationDataTest {

    private static final ModelProto MODEL = TinyModels.matMulRelu(new float[] {1, 2, 3, 4}, 2, 2);

    @TempDir
    Path folder;

    private Path threeSamples() throws Exception {
        return NpyWriter.writeFloats(folder.resolve("x.npy"), new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6});
    }

    @Test
    void readsNpyAndTextLabels() throws Exception {
        Path npy = folder.resolve("labels.npy");
        NpyWriter.writeNpy(npy, NpyWriter.Array.longs(new long[] {3}, 2, 0, 1));
        Path text = Files.writeString(folder.resolve("labels.txt"), "2\n0\n\n1\n");

        assertThat(Labels.readClasses(npy)).containsExactly(2, 0, 1);
        assertThat(Labels.readClasses(text)).containsExactly(2, 0, 1);
    }

    @Test
    void rejectsLabelCountMismatchNamingBothCounts() throws Exception {
        Path data = threeSamples();
        Path labels = Files.writeString(folder.resolve("labels.txt"), "1\n0\n");

        assertThatThrownBy(() -> EvaluationData.open(data, labels, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("2 labels")
                .hasMessageContaining("3 samples");
    }

    @Test
    void opensTextLabelsAndChecksTheirCount() throws Exception {
        Path data = threeSamples();
        Path labels = folder.resolve("texts");
        new TextLabels(List.of("ab", "", "b"), List.of("a", "b"), CtcGreedyDecoder.Blank.FIRST).write(labels);
        Path twoTexts = folder.resolve("two-texts");
        new TextLabels(List.of("ab", "b"), List.of("a", "b"), CtcGreedyDecoder.Blank.FIRST).write(twoTexts);

        try (EvaluationData opened = EvaluationData.open(data, labels, MODEL, null)) {
            assertThat(opened.labels().texts().texts()).containsExactly("ab", "", "b");
            assertThat(opened.labels().classes()).isNull();
        }
        assertThatThrownBy(() -> EvaluationData.open(data, twoTexts, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("2 labels")
                .hasMessageContaining("3 samples");
    }

    @Test
    void rejectsNonIntegerLabelLine() throws Exception {
        Path labels = Files.writeString(folder.resolve("labels.txt"), "1\ncat\n");

        assertThatThrownBy(() -> Labels.readClasses(labels)).hasMessageContaining("Line 2").hasMessageContaining("cat");
    }

    @Test
    void contentHashCoversDataAndLabels() throws Exception {
        Path data = threeSamples();
        Path labels = Files.writeString(folder.resolve("labels.txt"), "1\n0\n1\n");
        String withLabels;
        String withoutLabels;
        try (EvaluationData opened = EvaluationData.open(data, labels, MODEL, null)) {
            withLabels = opened.contentHash();
            assertThat(opened.labels().classes()).containsExactly(1, 0, 1);
        }
        try (EvaluationData opened = EvaluationData.open(data, null, MODEL, null)) {
            withoutLabels = opened.contentHash();
        }
        Files.writeString(labels, "1\n1\n1\n");
        try (EvaluationData opened = EvaluationData.open(data, labels, MODEL, null)) {
            assertThat(opened.contentHash()).hasSize(64).isNotEqualTo(withLabels).isNotEqualTo(withoutLabels);
        }
        try (EvaluationData opened = EvaluationData.open(data, null, MODEL, null)) {
            assertThat(opened.contentHash()).isEqualTo(withoutLabels);
        }
    }

    @Test
    void tsvPairsGiveQueryThenDocumentSamples() throws Exception {
        ModelProto miniLm = ModelFiles.load(ModelFiles.resourceFile(ModelFiles.MINILM_MODEL));
        Path tokenizer = ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER);
        Path pairs = Files.writeString(folder.resolve("pairs.tsv"), "a small dog\ta puppy\n\nred wine\tgrapes\n");

        List<Sample> samples = new ArrayList<>();
        try (EvaluationData data = EvaluationData.open(pairs, null, miniLm, TextOptions.of(tokenizer))) {
            data.samples().forEach(samples::add);
            assertThat(data.samples().size()).isEqualTo(4);
            assertThat(data.labels().pairs()).extracting(pair -> pair.document()).containsExactly("a puppy", "grapes");
        }

        assertThat(samples).extracting(Sample::origin).containsExactly(
                pairs + ", line 1, query", pairs + ", line 1, document",
                pairs + ", line 3, query", pairs + ", line 3, document");
        // [CLS] a small dog [SEP]
        assertThat(samples.get(0).input("input_ids").shape()).containsExactly(1, 5);
    }

    @Test
    void tsvLineWithoutTabIsRejected() throws Exception {
        ModelProto miniLm = ModelFiles.load(ModelFiles.resourceFile(ModelFiles.MINILM_MODEL));
        Path tokenizer = ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER);
        Path pairs = Files.writeString(folder.resolve("pairs.tsv"), "query\tdocument\nno tab here\n");

        assertThatThrownBy(() -> EvaluationData.open(pairs, null, miniLm, TextOptions.of(tokenizer)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Line 2")
                .hasMessageContaining("query<TAB>document");
    }
}
