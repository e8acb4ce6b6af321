package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.data.TextPairs.TextPair;
import dev.quantfleet.engine.evaluation.Labels;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EmbeddingRetrievalTest {

    @TempDir
    Path folder;

    @Test
    void scoresHandMadeEmbeddings() {
        // pair 0: the query points at its document; pair 1: the query points at document 0, so rank 2
        List<float[]> embeddings = List.of(new float[] {1, 0}, new float[] {1, 0}, new float[] {0.8f, 0.6f},
                new float[] {0, 1});
        List<float[]> reference = List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {0.8f, 0.6f},
                new float[] {0, 1});
        List<Sample> samples = List.of(sample("q0"), sample("d0"), sample("q1"), sample("d1"));
        Labels labels = Labels.ofPairs(List.of(new TextPair("q0", "d0", 1), new TextPair("q1", "d1", 2)));

        EmbeddingRetrieval.Scores scores = EmbeddingRetrieval.scores(samples, embeddings, labels, reference);

        assertThat(scores.recallAt1()).isEqualTo(0.5);
        assertThat(scores.recallAt10()).isEqualTo(1.0);
        assertThat(scores.mrr()).isCloseTo(0.75, within(1e-12));
        // cosines to the reference: 1, 0, 1, 1
        assertThat(scores.meanCosine()).isCloseTo(0.75, within(1e-7));
        assertThat(scores.minCosine()).isCloseTo(0, within(1e-7));
        assertThat(scores.texts()).isEqualTo(4);
    }

    @Test
    void miniLmAgainstItselfAndTheInt8Reference() throws Exception {
        MiniLmFiles files = MiniLmFiles.extract(folder);
        ModelProto floatModel = files.loadFp32Model();
        Path pairs = Files.write(folder.resolve("pairs.tsv"), List.of(
                "compression library - runtime\tzlib is a library implementing the deflate compression method",
                "add and remove users and groups\tThis package includes the adduser and deluser commands",
                "command line tool for transferring data with URL syntax\tcurl is a tool to transfer data from a server",
                "shell with lots of features\tZsh is a UNIX command interpreter usable as an interactive login shell"));
        List<NamedModel> models = List.of(
                new NamedModel("fp32", "test", Files.readAllBytes(files.fp32Model())),
                new NamedModel("int8-reference", "test", Files.readAllBytes(files.int8ReferenceModel())));

        List<EmbeddingRetrieval.Scores> scores = EmbeddingRetrieval.score(models, pairs, floatModel,
                new TextOptions(files.tokenizer(), MiniLmFiles.MAX_TOKENS, false), 1);

        assertThat(scores.get(0).meanCosine()).isCloseTo(1.0, within(1e-6));
        assertThat(scores.get(0).recallAt1()).isEqualTo(1.0);
        assertThat(scores.get(0).texts()).isEqualTo(8);
        assertThat(scores.get(1).minCosine()).isBetween(0.95, 0.99999);
        assertThat(scores.get(1).recallAt1()).isEqualTo(1.0);
    }

    private static Sample sample(String origin) {
        return new Sample(origin, Map.of());
    }
}
