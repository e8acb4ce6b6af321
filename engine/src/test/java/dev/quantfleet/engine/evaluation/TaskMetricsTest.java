package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.data.TextPairs.TextPair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TaskMetricsTest {

    private static EvaluatedSample embedding(float... values) {
        return new EvaluatedSample(new Sample("test", Map.of()),
                List.of(new OutputTensor("e", new long[] {1, values.length}, values)));
    }

    /** Scores {@code metric} on pairs whose samples alternate query and document. */
    private static double score(String metric, List<float[]> queries, List<float[]> documents,
                                List<String> documentTexts) {
        List<EvaluatedSample> samples = new ArrayList<>();
        List<TextPair> pairs = new ArrayList<>();
        for (int pair = 0; pair < queries.size(); pair++) {
            samples.add(embedding(queries.get(pair)));
            samples.add(embedding(documents.get(pair)));
            pairs.add(new TextPair("q" + pair, documentTexts.get(pair), pair + 1));
        }
        return TaskMetrics.byName(metric).score(samples, Labels.ofPairs(pairs));
    }

    @Test
    void recallAndMrrOnDistinctDocuments() {
        // query 0 is closest to doc 0 (rank 1); query 1 is closest to doc 0, then doc 1 (rank 2);
        // query 2 points between doc 0 and doc 1, away from doc 2 (rank 3)
        List<float[]> queries = List.of(new float[] {1, 0}, new float[] {1, 0.2f}, new float[] {1, 1});
        List<float[]> documents = List.of(new float[] {1, 0}, new float[] {0.5f, 1}, new float[] {-1, 0});
        List<String> texts = List.of("a", "b", "c");

        assertThat(score("recall@1", queries, documents, texts)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(score("recall@2", queries, documents, texts)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(score("mrr", queries, documents, texts)).isCloseTo((1 + 0.5 + 1.0 / 3) / 3, within(1e-12));
    }

    @Test
    void tiesCountAgainstTheQuery() {
        // every document is the same vector, so every query ties with both other documents
        List<float[]> queries = List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {1, 1});
        List<float[]> documents = List.of(new float[] {1, 1}, new float[] {1, 1}, new float[] {1, 1});
        List<String> texts = List.of("a", "b", "c");

        assertThat(score("recall@1", queries, documents, texts)).isZero();
        assertThat(score("recall@2", queries, documents, texts)).isZero();
        assertThat(score("recall@3", queries, documents, texts)).isEqualTo(1.0);
        assertThat(score("mrr", queries, documents, texts)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void duplicateDocumentsAreAllRelevant() {
        // documents 0 and 2 have the same text; query 0 is closest to document 2
        List<float[]> queries = List.of(new float[] {0, 1}, new float[] {1, 0}, new float[] {-1, 0.1f});
        List<float[]> documents = List.of(new float[] {1, 0}, new float[] {1, 0.1f}, new float[] {0, 1});
        List<String> texts = List.of("same", "other", "same");

        // query 0: best relevant doc 2 (score 1), rank 1. query 1: doc 1 scores 0.995 below doc 0 (1), rank 2.
        // query 2: best relevant is doc 2 (0.1) vs doc 1 (-0.985), rank 1
        assertThat(score("recall@1", queries, documents, texts)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(score("mrr", queries, documents, texts)).isCloseTo((1 + 0.5 + 1) / 3, within(1e-12));
    }

    @Test
    void recallAtKWithDuplicatedDocuments() {
        // documents 1 and 2 have the same text, so both are relevant to queries 1 and 2; for query 0
        // they are two non-relevant documents and each counts against it
        List<float[]> documents = List.of(unit(0), unit(90), unit(60), unit(180));
        List<float[]> queries = List.of(unit(80), unit(55), unit(10), unit(130));
        List<String> texts = List.of("a", "dup", "dup", "b");

        // query 0: relevant doc 0 scores cos 80° = 0.17, docs 1 (0.98) and 2 (0.94) are above it: rank 3
        // query 1: own doc 1 scores 0.82, its duplicate doc 2 scores 1.00, best of all: rank 1
        // query 2: best relevant doc 2 scores cos 50° = 0.64, only doc 0 (0.98) is above: rank 2
        // query 3: relevant doc 3 scores cos 50° = 0.64, only doc 1 (cos 40° = 0.77) is above: rank 2
        assertThat(score("recall@1", queries, documents, texts)).isCloseTo(1.0 / 4, within(1e-12));
        assertThat(score("recall@2", queries, documents, texts)).isCloseTo(3.0 / 4, within(1e-12));
        assertThat(score("recall@3", queries, documents, texts)).isEqualTo(1.0);
        assertThat(score("mrr", queries, documents, texts)).isCloseTo((1.0 / 3 + 1 + 0.5 + 0.5) / 4, within(1e-12));
    }

    /** Unit vector at {@code degrees} from the first axis. */
    private static float[] unit(double degrees) {
        return new float[] {(float) Math.cos(Math.toRadians(degrees)), (float) Math.sin(Math.toRadians(degrees))};
    }

    @Test
    void cutoffAboveDocumentCountGivesOne() {
        List<float[]> queries = List.of(new float[] {1, 0}, new float[] {0, 1});
        List<float[]> documents = List.of(new float[] {0, 1}, new float[] {1, 0});

        assertThat(score("recall@1", queries, documents, List.of("a", "b"))).isZero();
        assertThat(score("recall@10", queries, documents, List.of("a", "b"))).isEqualTo(1.0);
    }

    @Test
    void embeddingsAverageTokensByAttentionMask() {
        float[] tokens = {1, 0, 0, 1, 100, 100};
        Sample sample = new Sample("masked", Map.of("attention_mask",
                TensorValue.ofLongs(new long[] {1, 3}, new long[] {1, 1, 0})));
        EvaluatedSample evaluated = new EvaluatedSample(sample,
                List.of(new OutputTensor("h", new long[] {1, 3, 2}, tokens)));

        double[] embedding = SentenceEmbeddings.embed(evaluated);

        assertThat(embedding[0]).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(embedding[1]).isCloseTo(Math.sqrt(0.5), within(1e-12));
    }

    @Test
    void accuracyAgainstLabels() {
        List<EvaluatedSample> samples = List.of(embedding(0.1f, 0.9f), embedding(0.8f, 0.2f), embedding(0.3f, 0.7f));

        double accuracy = TaskMetrics.byName("accuracy").score(samples, Labels.ofClasses(new long[] {1, 0, 0}));

        assertThat(accuracy).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void accuracyNamesBothCountsOnMismatch() {
        List<EvaluatedSample> samples = List.of(embedding(0.1f, 0.9f));

        assertThatThrownBy(() -> TaskMetrics.byName("accuracy").score(samples, Labels.ofClasses(new long[] {1, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 labels and 1 samples");
    }

    @Test
    void accuracyRejectsLabelOutsideClasses() {
        List<EvaluatedSample> samples = List.of(embedding(0.1f, 0.9f), embedding(0.8f, 0.2f));

        assertThatThrownBy(() -> TaskMetrics.byName("accuracy").score(samples, Labels.ofClasses(new long[] {1, 7})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Label 7 of evaluation sample 2")
                .hasMessageContaining("classes 0 to 1");
    }

    private static EvaluatedSample score(float value) {
        return new EvaluatedSample(new Sample("clip", Map.of()),
                List.of(new OutputTensor("score", new long[] {1, 1}, new float[] {value})));
    }

    @Test
    void aucAndDetectionOnScoresWithTies() {
        // positives 0.9, 0.8, 0.4 and negatives 0.7, 0.4, 0.1: AUC (3 + 3 + 1.5) / 9; 0.9 and 0.8 beat 0.7
        List<EvaluatedSample> samples = List.of(score(0.9f), score(0.7f), score(0.8f), score(0.4f), score(0.4f),
                score(0.1f));
        Labels labels = Labels.ofClasses(new long[] {1, 0, 1, 0, 1, 0});

        assertThat(TaskMetrics.byName("auc").score(samples, labels)).isCloseTo(7.5 / 9, within(1e-12));
        assertThat(TaskMetrics.byName("detection@0fa").score(samples, labels)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void detectionMetricsNeedOneScorePerSample() {
        List<EvaluatedSample> samples = List.of(embedding(0.1f, 0.9f), embedding(0.8f, 0.2f));

        assertThatThrownBy(() -> TaskMetrics.byName("auc").score(samples, Labels.ofClasses(new long[] {1, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one score per sample")
                .hasMessageContaining("'e' [1, 2]");
    }

    @Test
    void detectionMetricsRejectLabelsOtherThanZeroAndOne() {
        List<EvaluatedSample> samples = List.of(score(0.9f), score(0.1f), score(0.3f));

        assertThatThrownBy(() -> TaskMetrics.byName("detection@0fa").score(samples,
                Labels.ofClasses(new long[] {1, 0, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Label 3 of sample 3");
        assertThatThrownBy(() -> TaskMetrics.byName("auc").score(samples, Labels.ofClasses(new long[] {1, 1, 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 positives and 0 negatives");
        assertThatThrownBy(() -> TaskMetrics.byName("auc").score(samples, Labels.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs class labels");
    }

    @Test
    void detectionMetricsAreFoundThroughTheServiceLoader() {
        assertThat(TaskMetrics.knownNames()).contains("auc", "detection@0fa");
        assertThat(TaskMetrics.byName("auc").direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(TaskMetrics.byName("detection@0fa").needsClassLabels()).isTrue();
        assertThat(MetricDirections.of("baseline.detection@0fa")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(TaskMetrics.byName("mrr").needsClassLabels()).isFalse();
    }

    @Test
    void registryFindsBuiltInsAndListsKnownNames() {
        assertThat(TaskMetrics.byName("recall@10").name()).isEqualTo("recall@10");
        assertThat(TaskMetrics.byName("mrr").direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(TaskMetrics.byName("accuracy").direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(TaskMetrics.knownNames()).contains("accuracy", "recall@K", "mrr");
        assertThatThrownBy(() -> TaskMetrics.byName("f1"))
                .hasMessageContaining("Unknown task metric 'f1'")
                .hasMessageContaining("recall@K");
        assertThatThrownBy(() -> TaskMetrics.byName("recall@0")).hasMessageContaining("positive integer");
        assertThatThrownBy(() -> TaskMetrics.byName("recall@x")).hasMessageContaining("positive integer");
    }
}
