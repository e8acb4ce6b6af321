package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.external.OpenWakeWordModels;
import dev.quantfleet.engine.job.LocalSearch;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audio suite in short: 32 evaluation and 16 calibration clips, one in-process search for
 * {@code auc} within {@value #SEARCH_MAX_DROP} of fp32 with {@value #TRIALS} trials, then the
 * winner on 32 held-out clips, whose ROC-AUC must stay within {@value #HELD_OUT_BOUND} of fp32's
 * there. The bounds are loose because 16 positives and 16 negatives give a wide interval.
 */
class AudioSuiteShortTest {

    static final int CLIPS = 32;
    static final int TRIALS = 8;
    static final double SEARCH_MAX_DROP = 0.05;
    static final double HELD_OUT_BOUND = 0.1;
    static final long HELD_OUT_SEED = 3;

    @TempDir
    Path work;

    @Test
    void searchWinnerStaysCloseToFp32() throws Exception {
        OpenWakeWordFixture.assumeSpeechPrograms();
        OpenWakeWordModels files = OpenWakeWordFixture.fetch();
        ModelProto pipeline = WakeWordPipeline.build(files);
        byte[] floatBytes = ModelIo.toBytes(pipeline);
        Path pipelineFile = work.resolve("pipeline.onnx");
        ModelIo.save(pipeline, pipelineFile);
        AudioSuiteData data = AudioSuiteData.prepare(work, CLIPS, 2);

        SearchGoal goal = new SearchGoal("auc", MetricDirection.HIGHER_IS_BETTER, SEARCH_MAX_DROP, false,
                Objective.SIZE);
        LocalSearchResult result = LocalSearch.run(new LocalSearchSpec(pipelineFile, data.calibrationFile(),
                data.evaluationFile(), data.labelsFile(), null, goal, SearchStrategies.AUTO, SearchBudget.trials(TRIALS),
                0, 2, EvaluationSettings.of(1), null), progress -> { });

        assertThat(data.evaluation().positiveCount()).isEqualTo(CLIPS / 2);
        assertThat(data.calibration().plans()).hasSize(16);
        double[] floatScores = WakeWordScores.score(floatBytes, data.evaluation().audio(), 1);
        double floatAuc = WakeWordScores.Quality.of(floatScores, floatScores, data.evaluation().labels()).auc();
        assertThat(floatAuc).as("fp32 AUC on the evaluation clips").isGreaterThan(0.8);
        assertThat(result.acceptable()).as("search found a candidate within the goal").isTrue();
        byte[] winner = result.winner().modelBytes();
        assertThat(winner.length).as("winner bytes").isLessThan(floatBytes.length);
        double[] winnerScores = WakeWordScores.score(winner, data.evaluation().audio(), 1);
        assertThat(WakeWordScores.Quality.of(winnerScores, floatScores, data.evaluation().labels()).auc())
                .as("winner AUC scored here and by the search")
                .isEqualTo(result.outcome().winner().evaluation().metric("auc"));

        WakeWordClips.Clips heldOut = heldOutClips(data);
        double[] heldOutFloat = WakeWordScores.score(floatBytes, heldOut.audio(), 1);
        double[] heldOutWinner = WakeWordScores.score(winner, heldOut.audio(), 1);
        double heldOutFloatAuc = WakeWordScores.Quality.of(heldOutFloat, heldOutFloat, heldOut.labels()).auc();
        double heldOutWinnerAuc = WakeWordScores.Quality.of(heldOutWinner, heldOutFloat, heldOut.labels()).auc();
        assertThat(heldOutWinnerAuc).as("winner AUC on held-out clips, fp32 %.4f", heldOutFloatAuc)
                .isGreaterThanOrEqualTo(heldOutFloatAuc - HELD_OUT_BOUND);
    }

    private WakeWordClips.Clips heldOutClips(AudioSuiteData data) throws Exception {
        Set<String> used = new HashSet<>(WakeWordClips.utterances(data.evaluation().plans()));
        used.addAll(WakeWordClips.utterances(data.calibration().plans()));
        List<WakeWordClips.ClipPlan> plan = WakeWordClips.plan(CLIPS, HELD_OUT_SEED, used);
        return WakeWordClips.synthesize(plan, new SpeechSynthesizer(work.resolve("speech"), Duration.ofSeconds(60)), 2);
    }
}
