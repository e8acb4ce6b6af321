package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The wake word suite's data on disk: evaluation clips and labels from seed
 * {@value #EVALUATION_SEED}, calibration clips (and their labels, which calibration ignores)
 * from seed {@value #CALIBRATION_SEED}, no spoken utterance in both; see {@link WakeWordClips}.
 *
 * @param evaluation        the evaluation clips
 * @param calibration       the calibration clips
 * @param evaluationFile    {@code evaluation.npy}, float32 {@code [n, 31712]}
 * @param labelsFile        {@code evaluation-labels.npy}, int64 {@code [n]}, 1 for "hey jarvis"
 * @param calibrationFile   {@code calibration.npy}, float32 {@code [m, 31712]}
 * @param synthesisMs       wall time of speaking, mixing and writing every clip
 */
record AudioSuiteData(WakeWordClips.Clips evaluation, WakeWordClips.Clips calibration, Path evaluationFile,
                      Path labelsFile, Path calibrationFile, long synthesisMs) {

    static final long EVALUATION_SEED = 1;
    static final long CALIBRATION_SEED = 2;

    private static final Duration PROGRAM_TIMEOUT = Duration.ofSeconds(60);

    /** Returns the calibration clip count for {@code evaluationClips}: a quarter, at least 16. */
    static int calibrationClipsFor(int evaluationClips) {
        return Math.max(16, evaluationClips / 4);
    }

    /**
     * Plans, speaks and writes {@code evaluationClips} evaluation clips and
     * {@link #calibrationClipsFor} calibration clips into {@code folder}, on {@code threads} threads.
     */
    static AudioSuiteData prepare(Path folder, int evaluationClips, int threads) throws IOException, InterruptedException {
        long start = System.nanoTime();
        SpeechSynthesizer synthesizer = new SpeechSynthesizer(folder.resolve("speech"), PROGRAM_TIMEOUT);
        List<WakeWordClips.ClipPlan> evaluationPlan = WakeWordClips.plan(evaluationClips, EVALUATION_SEED, Set.of());
        List<WakeWordClips.ClipPlan> calibrationPlan = WakeWordClips.plan(calibrationClipsFor(evaluationClips),
                CALIBRATION_SEED, WakeWordClips.utterances(evaluationPlan));
        WakeWordClips.Clips evaluation = WakeWordClips.synthesize(evaluationPlan, synthesizer, threads);
        WakeWordClips.Clips calibration = WakeWordClips.synthesize(calibrationPlan, synthesizer, threads);

        Path evaluationFile = folder.resolve("evaluation.npy");
        Path labelsFile = folder.resolve("evaluation-labels.npy");
        Path calibrationFile = folder.resolve("calibration.npy");
        evaluation.write(evaluationFile, labelsFile);
        calibration.write(calibrationFile, folder.resolve("calibration-labels.npy"));
        return new AudioSuiteData(evaluation, calibration, evaluationFile, labelsFile, calibrationFile,
                (System.nanoTime() - start) / 1_000_000);
    }
}
