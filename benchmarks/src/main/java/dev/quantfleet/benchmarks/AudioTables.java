package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.TaskKind;

import java.util.List;
import java.util.Map;

/** Formats the audio suite's data, rows, targets and searches as Markdown. */
final class AudioTables {

    private AudioTables() {
    }

    static void addData(BenchmarkReport report, AudioSuiteData data) {
        WakeWordClips.Clips evaluation = data.evaluation();
        long confusable = evaluation.plans().stream()
                .filter(plan -> WakeWordClips.CONFUSABLE_PHRASES.contains(plan.text())).count();
        report.add(String.format("Data: %d evaluation clips (%d \"%s\", %d confusable phrases, %d other phrases, "
                        + "plan seed %d), %d calibration clips (plan seed %d) and %d search clips (%d \"%s\", plan seed "
                        + "%d), no utterance in two of the sets, %d samples (%.2f s) at 16 kHz each, spoken by espeak-ng, "
                        + "resampled by sox, "
                        + "with Gaussian noise at 10 to 30 dB SNR. Synthesis took %.1f s.", evaluation.plans().size(),
                evaluation.positiveCount(), WakeWordClips.WAKE_PHRASE, confusable,
                evaluation.plans().size() - evaluation.positiveCount() - confusable, AudioSuiteData.EVALUATION_SEED,
                data.calibration().plans().size(), AudioSuiteData.CALIBRATION_SEED, data.search().plans().size(),
                data.search().positiveCount(), WakeWordClips.WAKE_PHRASE, AudioSuiteData.SEARCH_SEED,
                WakeWordPipeline.CLIP_SAMPLES,
                WakeWordPipeline.CLIP_SAMPLES / 16000.0, data.synthesisMs() / 1000.0));
        report.add("Confusable phrases: " + String.join(", ", WakeWordClips.CONFUSABLE_PHRASES) + ". Other phrases: "
                + String.join(", ", WakeWordClips.OTHER_PHRASES) + ". Voices: " + String.join(", ",
                WakeWordClips.LANGUAGES) + ", each with a variant of " + String.join(", ", WakeWordClips.VARIANTS) + ".");
    }

    static void addRows(BenchmarkReport report, List<AudioMeasurement> measurements, AudioSuiteData data) {
        report.add("## Results");
        report.add(String.format("Quality over the %d evaluation clips: ROC-AUC with its Hanley-McNeil 95 %% interval, "
                        + "detection rate at zero false accepts (positives scoring above the highest negative), and the "
                        + "scores' mean squared difference and cosine to fp32. Latency: one clip per run, %d distinct "
                        + "clips, %d intra-op thread, all ONNX Runtime optimizations, %d warm-up runs, then %d rounds of "
                        + "%d runs per model, models interleaved; median and 10th to 90th percentile. Search wall time: "
                        + "InProcessSearch.run, or the coordinator's search for the fleet.",
                data.evaluation().plans().size(), AudioBenchmark.LATENCY_CLIPS, AudioBenchmark.TASK_THREADS,
                AudioBenchmark.LATENCY.warmUpRuns(), AudioBenchmark.LATENCY.rounds(),
                AudioBenchmark.LATENCY.runsPerRound()));
        MarkdownTable table = new MarkdownTable("Model", "AUC (95 % CI)", "Detection at 0 FA", "Score MSE to fp32",
                "Score cosine to fp32", "Bytes", "Median ms (p10–p90)", "Search wall s", "Candidates evaluated",
                "Nodes kept in higher precision");
        for (AudioMeasurement measurement : measurements) {
            WakeWordScores.Quality quality = measurement.quality();
            AudioRow row = measurement.row();
            table.row(row.name(), String.format("%.4f (%.4f–%.4f)", quality.auc(), quality.aucLow95(), quality.aucHigh95()),
                    String.format("%.3f", quality.detectionAtZeroFalseAccepts()),
                    String.format("%.2e", quality.scoreMse()), String.format("%.4f", quality.scoreCosine()),
                    String.format("%,d", row.modelBytes().length),
                    String.format("%.1f (%.1f–%.1f)", measurement.medianMs(), measurement.p10Ms(), measurement.p90Ms()),
                    row.searchWallMs() == null ? "–" : String.format("%.1f", row.searchWallMs() / 1000.0),
                    row.candidatesEvaluated(), row.higherPrecision());
        }
        report.add(table);
        MarkdownTable configurations = new MarkdownTable("Model", "Configuration", "Highest negative score",
                "Largest score change", "SHA-256");
        for (AudioMeasurement measurement : measurements) {
            configurations.row(measurement.row().name(), measurement.row().configuration(),
                    String.format("%.4f", measurement.quality().highestNegativeScore()),
                    String.format("%.4f", measurement.quality().maxScoreDifference()),
                    measurement.row().sha256().substring(0, 16));
        }
        report.add(configurations);
    }

    static void addTargets(BenchmarkReport report, AudioTargets targets) {
        report.add("## Targets");
        MarkdownTable table = new MarkdownTable("Target", "Measured", "Met");
        for (AudioTargets.RowTarget row : targets.rows()) {
            table.row(row.name() + ": AUC within " + AudioBenchmark.MAX_AUC_DROP + " of fp32",
                    String.format("drop %+.4f", row.aucDrop()), yesNo(row.aucMet()));
            table.row(row.name() + ": detection at 0 FA as fp32", String.format("drop %+.3f", row.detectionDrop()),
                    yesNo(row.detectionMet()));
        }
        table.row("two in-process searches give byte-identical winners (SHA-256)",
                targets.parallelSha256().substring(0, 16) + " / " + targets.sequentialSha256().substring(0, 16),
                yesNo(targets.searchesIdentical()));
        if (targets.fleetSha256() != null) {
            table.row("fleet winner identical to the in-process winner (not a target)",
                    targets.fleetSha256().substring(0, 16), yesNo(targets.fleetSha256().equals(targets.parallelSha256())));
        }
        table.row("search wall time at most " + AudioTargets.MAX_WALL_RATIO + " x (calibration + evaluations alone)",
                String.format("%.1f s / (%.1f s + %.1f s for %d evaluations) = %.2f", targets.searchWallMs() / 1000.0,
                        targets.calibrationMs() / 1000.0, targets.evaluationsMs() / 1000.0, targets.evaluationCount(),
                        targets.wallRatio()), yesNo(targets.wallRatioMet()));
        report.add(table);
    }

    static void addSearch(BenchmarkReport report, TimedSearch parallel, TaskTimes parallelTimes,
                          TimedSearch sequential, TaskTimes sequentialTimes, FleetSearch fleet) {
        report.add("## Searches");
        MarkdownTable table = new MarkdownTable("Search", "Candidates at once", "Trials", "Stop reason",
                "Search wall s", "Sum of task times s", "Whole command wall s", "Winner");
        addSearchRow(table, "in process, first run", parallel, parallelTimes);
        addSearchRow(table, "in process, second run", sequential, sequentialTimes);
        if (fleet != null) {
            var summary = fleet.report().search();
            table.row("local fleet", AudioBenchmark.FLEET_WORKERS + " workers", summary.trials(), summary.stopReason(),
                    String.format("%.1f", summary.wallTimeMs() / 1000.0), "–", String.format("%.1f",
                            fleet.wallTimeMs() / 1000.0), fleet.report().winner() == null ? "none"
                            : fleet.report().winner().candidateId());
        }
        report.add(table);

        Map<String, Long> alone = sequentialTimes.millisByTaskId();
        Map<String, Long> together = parallelTimes.millisByTaskId();
        MarkdownTable tasks = new MarkdownTable("Round", "Kind", "Candidate or unit", "AUC", "ms alone",
                "ms in the first run");
        SearchOutcome outcome = sequential.result().outcome();
        for (CandidateResult result : outcome.results()) {
            String subject = result.kind() == TaskKind.SENSITIVITY ? result.label() : result.candidateId();
            Double auc = result.evaluation().metrics().get(AudioBenchmark.METRIC);
            tasks.row(result.round(), result.kind(), subject, auc == null ? "–" : String.format("%.4f", auc),
                    millisOrCached(alone, result.taskId()), millisOrCached(together, result.taskId()));
        }
        report.add("Tasks of the second in-process search, one at a time, and the same tasks in the first run, "
                + parallel.spec().threads() + " at once (both searches ran the same tasks):");
        report.add(tasks);
    }

    private static void addSearchRow(MarkdownTable table, String name, TimedSearch search, TaskTimes times) {
        SearchOutcome outcome = search.result().outcome();
        long taskSumMs = times.millisByTaskId().values().stream().mapToLong(Long::longValue).sum();
        table.row(name, search.spec().threads(), outcome.trials(), outcome.stopReason(),
                String.format("%.1f", search.searchLoopMs() / 1000.0), String.format("%.1f", taskSumMs / 1000.0),
                String.format("%.1f", search.wallTimeMs() / 1000.0),
                outcome.winner() == null ? "none" : outcome.winner().candidateId() + " (acceptable: "
                        + outcome.acceptable() + ")");
    }

    private static String millisOrCached(Map<String, Long> millisByTaskId, String taskId) {
        Long millis = millisByTaskId.get(taskId);
        return millis == null ? "cached" : Long.toString(millis);
    }

    private static String yesNo(boolean met) {
        return met ? "yes" : "**no**";
    }
}
