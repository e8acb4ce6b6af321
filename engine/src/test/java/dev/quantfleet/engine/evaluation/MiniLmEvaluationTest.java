package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.external.PackageDescription;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.testing.DebianDescriptions;
import dev.quantfleet.engine.testing.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluates all-MiniLM-L6-v2 and its a8w8 quantization on 30 query/document pairs from the
 * Debian package descriptions: package synopsis as query, first line of the extended
 * description as document.
 */
class MiniLmEvaluationTest {

    private static final int THREADS = 2;

    @TempDir
    Path folder;

    @Test
    void a8w8KeepsEmbeddingsAndRetrieval() throws Exception {
        ModelProto model = ModelFiles.load(ModelFiles.resourceFile(ModelFiles.MINILM_MODEL));
        TextOptions textOptions = TextOptions.of(ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER));
        Path pairs = Files.write(folder.resolve("pairs.tsv"), pairLines(30));
        Path calibrationTexts = Files.write(folder.resolve("calibration.txt"), DebianDescriptions.synopses(400, 30));

        CalibrationStatistics statistics;
        try (SampleSource samples = SampleSources.open(calibrationTexts, model, textOptions)) {
            statistics = CandidateEvaluator.calibrate(model, samples, THREADS);
        }
        ModelEvaluator evaluator;
        try (EvaluationData data = EvaluationData.open(pairs, null, model, textOptions)) {
            evaluator = ModelEvaluator.forFloatModel(model, data,
                    List.of(TaskMetrics.byName("recall@1"), TaskMetrics.byName("mrr")), EvaluationSettings.of(THREADS));
        }
        QuantizedCandidate result = new CandidateEvaluator(evaluator).evaluate(model, statistics, Presets.byName("a8w8"));

        Evaluation evaluation = result.evaluation();
        System.out.println("MiniLM a8w8 on 30 pairs: " + evaluation.metrics() + ", integerMacShare "
                + evaluation.cost().integerMacShare() + ", bytes " + evaluation.cost().modelBytes());
        assertThat(evaluation.status()).as(evaluation.reason()).isEqualTo(EvaluationStatus.OK);
        assertThat(evaluation.metric("cosine")).isGreaterThan(0.98);
        assertThat(evaluation.metric("recall@1")).isBetween(0.0, 1.0);
        assertThat(evaluation.metric("baseline.recall@1")).isBetween(0.5, 1.0);
        assertThat(evaluator.baselineTaskMetrics()).containsKeys("recall@1", "mrr");
        assertThat(evaluation.metric("mrr")).isGreaterThanOrEqualTo(evaluation.metric("recall@1"));
        assertThat(evaluation.cost().integerMacShare()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(evaluation.cost().modelBytes()).isLessThan(Files.size(ModelFiles.resourceFile(ModelFiles.MINILM_MODEL)));
        assertThat(evaluation.quantizedNodes()).isNotEmpty();
    }

    private static List<String> pairLines(int count) {
        return DebianDescriptions.all().stream()
                .filter(description -> !description.extendedDescription().isBlank())
                .limit(count)
                .map(MiniLmEvaluationTest::pairLine)
                .toList();
    }

    private static String pairLine(PackageDescription description) {
        String document = description.extendedDescription().strip().lines().findFirst().orElseThrow();
        return clean(description.synopsis()) + "\t" + clean(document);
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').strip();
    }
}
