package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The wake word suite's data on disk: evaluation clips and labels from seed
 * {@value #EVALUATION_SEED}, calibration clips (and their labels, which calibration ignores)
 * from seed {@value #CALIBRATION_SEED}, and the clips the searches score candidates on, from seed
 * {@value #SEARCH_SEED}. No spoken utterance is in two of them, so the report scores the winner on
 * clips the search never heard; see {@link WakeWordClips}.
 *
 * @param evaluation        the evaluation clips
 * @param calibration       the calibration clips
 * @param search            the search clips
 * @param evaluationFile    {@code evaluation.npy}, float32 {@code [n, 31712]}
 * @param labelsFile        {@code evaluation-labels.npy}, int64 {@code [n]}, 1 for "hey jarvis"
 * @param calibrationFile   {@code calibration.npy}, float32 {@code [m, 31712]}
 * @param searchFile        {@code search.npy}, float32 {@code [s, 31712]}
 * @param searchLabelsFile  {@code search-labels.npy}, int64 {@code [s]}
 * @param synthesisMs       wall time of speaking, mixing and writing every clip
 */
record AudioSuiteData(WakeWordClips.Clips evaluation, WakeWordClips.Clips calibration, WakeWordClips.Clips search,
                      Path evaluationFile, Path labelsFile, Path calibrationFile, Path searchFile,
                      Path searchLabelsFile, long synthesisMs) {

    static final long EVALUATION_SEED = 1;
    static final long CALIBRATION_SEED = 2;
    static final long SEARCH_SEED = 3;

    private static final Duration PROGRAM_TIMEOUT = Duration.ofSeconds(60);

    /** Returns the calibration clip count for {@code evaluationClips}: a quarter, at least 16. */
    static int calibrationClipsFor(int evaluationClips) {
        return Math.max(16, evaluationClips / 4);
    }

    /** Returns the search clip count for {@code evaluationClips}: half, at least 32. */
    static int searchClipsFor(int evaluationClips) {
        return Math.max(32, evaluationClips / 2);
    }

    /**
     * Plans, speaks and writes {@code evaluationClips} evaluation clips, {@link #calibrationClipsFor}
     * calibration clips and {@link #searchClipsFor} search clips into {@code folder}, on
     * {@code threads} threads.
     */
    static AudioSuiteData prepare(Path folder, int evaluationClips, int threads) throws IOException, InterruptedException {
        long start = System.nanoTime();
        SpeechSynthesizer synthesizer = new SpeechSynthesizer(folder.resolve("speech"), PROGRAM_TIMEOUT);
        List<WakeWordClips.ClipPlan> evaluationPlan = WakeWordClips.plan(evaluationClips, EVALUATION_SEED, Set.of());
        List<WakeWordClips.ClipPlan> calibrationPlan = WakeWordClips.plan(calibrationClipsFor(evaluationClips),
                CALIBRATION_SEED, WakeWordClips.utterances(evaluationPlan));
        Set<String> usedUtterances = new HashSet<>(WakeWordClips.utterances(evaluationPlan));
        usedUtterances.addAll(WakeWordClips.utterances(calibrationPlan));
        List<WakeWordClips.ClipPlan> searchPlan = WakeWordClips.plan(searchClipsFor(evaluationClips), SEARCH_SEED,
                usedUtterances);
        WakeWordClips.Clips evaluation = WakeWordClips.synthesize(evaluationPlan, synthesizer, threads);
        WakeWordClips.Clips calibration = WakeWordClips.synthesize(calibrationPlan, synthesizer, threads);
        WakeWordClips.Clips search = WakeWordClips.synthesize(searchPlan, synthesizer, threads);

        Path evaluationFile = folder.resolve("evaluation.npy");
        Path labelsFile = folder.resolve("evaluation-labels.npy");
        Path calibrationFile = folder.resolve("calibration.npy");
        evaluation.write(evaluationFile, labelsFile);
        calibration.write(calibrationFile, folder.resolve("calibration-labels.npy"));
        Path searchFile = folder.resolve("search.npy");
        Path searchLabelsFile = folder.resolve("search-labels.npy");
        search.write(searchFile, searchLabelsFile);
        return new AudioSuiteData(evaluation, calibration, search, evaluationFile, labelsFile, calibrationFile,
                searchFile, searchLabelsFile, (System.nanoTime() - start) / 1_000_000);
    }
}
