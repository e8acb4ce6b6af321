package dev.quantfleet.engine.job;

import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.external.PackageDescription;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.testing.DebianDescriptions;
import dev.quantfleet.engine.testing.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code auto} search on all-MiniLM-L6-v2 in process with a small budget: Recall@1 of package
 * synopses against the first line of their extended descriptions may drop by at most 1 %
 * relative to the float model.
 */
class MiniLmSearchTest {

    private static final int PAIRS = 200;
    private static final int CALIBRATION_TEXTS = 48;
    private static final int MAX_TRIALS = 6;

    @TempDir
    Path folder;

    @Test
    void autoFindsAnAcceptableSmallerModel() throws Exception {
        Path model = ModelFiles.resourceFile(ModelFiles.MINILM_MODEL);
        Path pairs = Files.write(folder.resolve("pairs.tsv"), pairLines());
        Path calibration = Files.write(folder.resolve("calibration.txt"),
                DebianDescriptions.synopses(PAIRS + 200, CALIBRATION_TEXTS));
        SearchGoal goal = new SearchGoal("recall@1", MetricDirection.HIGHER_IS_BETTER, 1.0, true, null);
        LocalSearchSpec spec = new LocalSearchSpec(model, calibration, pairs, null,
                new TextOptions(ModelFiles.resourceFile(ModelFiles.MINILM_TOKENIZER), 64, false), goal, "auto",
                SearchBudget.trials(MAX_TRIALS), 0, 2, EvaluationSettings.of(1), null);

        LocalSearchResult result = LocalSearch.run(spec, progress -> { });

        var winner = result.winner().evaluation();
        System.out.printf("MiniLM auto search: winner %s, recall@1 %.4f (float %.4f), cosine %.4f, %d bytes, "
                        + "%d trials, %d ms%n", result.outcome().winner().candidateId(), winner.metric("recall@1"),
                result.outcome().baseline().metric("recall@1"), winner.metric("cosine"), winner.cost().modelBytes(),
                result.outcome().trials(), result.outcome().wallTimeMs());
        assertThat(result.acceptable()).isTrue();
        assertThat(winner.metric("recall@1")).isGreaterThanOrEqualTo(
                result.outcome().baseline().metric("recall@1") * 0.99);
        assertThat(winner.cost().modelBytes()).isLessThan(Files.size(model));
        assertThat(result.outcome().trials()).isBetween(1, MAX_TRIALS);
        assertThat(result.report().candidates()).hasSizeGreaterThanOrEqualTo(result.outcome().trials() - 1);
    }

    private static List<String> pairLines() {
        return DebianDescriptions.all().stream()
                .filter(description -> !description.extendedDescription().isBlank())
                .limit(PAIRS)
                .map(MiniLmSearchTest::pairLine)
                .toList();
    }

    private static String pairLine(PackageDescription description) {
        String document = description.extendedDescription().strip().lines().findFirst().orElseThrow();
        return description.synopsis().replace('\t', ' ').strip() + "\t" + document.replace('\t', ' ').strip();
    }
}
