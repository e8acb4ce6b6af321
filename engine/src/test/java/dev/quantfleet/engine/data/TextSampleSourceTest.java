package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.testing.ModelFiles;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.quantfleet.engine.data.NumpySampleSourceTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Uses the all-MiniLM-L6-v2 tokenizer.json, whose vocabulary is BERT's uncased WordPiece vocabulary. */
class TextSampleSourceTest {

    private static Path tokenizer;

    @TempDir
    Path folder;

    @BeforeAll
    static void extractTokenizer() {
        tokenizer = ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER);
    }

    @Test
    void tokenizesEachNonBlankLine() throws IOException {
        Path text = writeLines("hello world", "", "   ", "Hello world again");
        ModelProto model = model(
                TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"),
                TinyModels.tensor("attention_mask", ElementType.INT64, "batch", "sequence"),
                TinyModels.tensor("token_type_ids", ElementType.INT64, "batch", "sequence"));

        try (SampleSource source = SampleSources.open(text, model, TextOptions.of(tokenizer))) {
            List<Sample> samples = readAll(source);

            assertThat(source.size()).isEqualTo(2);
            assertThat(samples).hasSize(2);
            Sample first = samples.get(0);
            assertThat(first.inputs()).containsOnlyKeys("input_ids", "attention_mask", "token_type_ids");
            assertThat(first.input("input_ids").shape()).containsExactly(1, 4);
            assertThat(longs(first.input("input_ids"))).containsExactly(101, 7592, 2088, 102);
            assertThat(longs(first.input("attention_mask"))).containsExactly(1, 1, 1, 1);
            assertThat(longs(first.input("token_type_ids"))).containsExactly(0, 0, 0, 0);
            assertThat(samples.get(1).origin()).endsWith("line 4");
            assertThat(samples.get(1).input("input_ids").shape()).containsExactly(1, 5);
        }
    }

    @Test
    void maxLengthAbove512IsHonoured() throws IOException {
        Path text = writeLines("hello ".repeat(2000));
        ModelProto model = model(TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"));

        try (SampleSource source = SampleSources.open(text, model, new TextOptions(tokenizer, 1500, false))) {
            Sample sample = readAll(source).get(0);

            assertThat(sample.input("input_ids").shape()).containsExactly(1, 1500);
            assertThat(longs(sample.input("input_ids"))[1498]).isEqualTo(7592);
            assertThat(longs(sample.input("input_ids"))[1499]).isEqualTo(102);
        }
    }

    @Test
    void blankTextIsRejected() throws IOException {
        ModelProto model = model(TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"));
        for (String[] lines : List.of(new String[0], new String[] {"", "  ", "\t"})) {
            Path text = writeLines(lines);
            assertThatThrownBy(() -> SampleSources.open(text, model, TextOptions.of(tokenizer)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageStartingWith("no samples in " + text + "; at least one sample is needed");
        }
    }

    @Test
    void feedsOnlyDeclaredInputsWithDeclaredIntegerType() throws IOException {
        Path text = writeLines("hello world");
        ModelProto model = model(
                TinyModels.tensor("input_ids", ElementType.INT32, "batch", "sequence"),
                TinyModels.tensor("attention_mask", ElementType.INT32, "batch", "sequence"));

        try (SampleSource source = SampleSources.open(text, model, TextOptions.of(tokenizer))) {
            Sample sample = readAll(source).get(0);

            assertThat(sample.inputs()).containsOnlyKeys("input_ids", "attention_mask");
            assertThat(sample.input("input_ids").elementType()).isEqualTo(ElementType.INT32);
            assertThat(((IntBuffer) sample.input("input_ids").values()).get(1)).isEqualTo(7592);
        }
    }

    @Test
    void truncatesToMaxLength() throws IOException {
        Path text = writeLines("one two three four five six seven eight nine ten");
        ModelProto model = model(TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"));

        try (SampleSource source = SampleSources.open(text, model, new TextOptions(tokenizer, 6, false))) {
            long[] ids = longs(readAll(source).get(0).input("input_ids"));

            assertThat(ids).hasSize(6);
            assertThat(ids[0]).isEqualTo(101);
            assertThat(ids[5]).isEqualTo(102);
        }
    }

    @Test
    void padsToFixedSequenceLengthOfModel() throws IOException {
        Path text = writeLines("hello world");
        ModelProto model = model(
                TinyModels.tensor("input_ids", ElementType.INT64, 1L, 8L),
                TinyModels.tensor("attention_mask", ElementType.INT64, 1L, 8L));

        try (SampleSource source = SampleSources.open(text, model, TextOptions.of(tokenizer))) {
            Sample sample = readAll(source).get(0);

            assertThat(longs(sample.input("input_ids"))).containsExactly(101, 7592, 2088, 102, 0, 0, 0, 0);
            assertThat(longs(sample.input("attention_mask"))).containsExactly(1, 1, 1, 1, 0, 0, 0, 0);
        }
    }

    @Test
    void rejectsModelWithoutTokenInputs() throws IOException {
        Path text = writeLines("hello");
        ModelProto model = model(TinyModels.tensor("pixels", ElementType.FLOAT, "batch", 3L));

        assertThatThrownBy(() -> SampleSources.open(text, model, TextOptions.of(tokenizer)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("can feed only the inputs input_ids, attention_mask and token_type_ids")
                .hasMessageContaining("'pixels': float [batch, 3]");
    }

    @Test
    void textWithoutTokenizerIsRejected() throws IOException {
        Path text = writeLines("hello");
        ModelProto model = model(TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"));

        assertThatThrownBy(() -> SampleSources.open(text, model, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("needs a tokenizer; pass a tokenizer (a Hugging Face tokenizer.json)");
    }

    @Test
    void textPairsWithoutTokenizerAreRejected() throws IOException {
        Path pairs = Files.writeString(folder.resolve("pairs" + TextPairs.EXTENSION), "query\tdocument\n");
        ModelProto model = model(TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"));

        assertThatThrownBy(() -> SampleSources.open(pairs, model, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("need a tokenizer; pass a tokenizer (a Hugging Face tokenizer.json)")
                .hasMessageNotContaining("TextOptions");
    }

    @Test
    void unknownFormatIsRejected() throws IOException {
        Path data = Files.writeString(folder.resolve("data.csv"), "1,2,3\n");
        ModelProto model = model(TinyModels.tensor("input_ids", ElementType.INT64, "batch", "sequence"));

        assertThatThrownBy(() -> SampleSources.open(data, model, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Cannot tell the format of")
                .hasMessageContaining(".npz, .npy");
    }

    private Path writeLines(String... lines) throws IOException {
        return Files.write(folder.resolve("texts.txt"), List.of(lines));
    }

    private static ModelProto model(ValueInfoProto... inputs) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("text_inputs");
        for (ValueInfoProto input : inputs) {
            graph.addInput(input);
        }
        return TinyModels.model(graph.build());
    }

    private static long[] longs(TensorValue value) {
        LongBuffer buffer = (LongBuffer) value.values();
        long[] values = new long[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
