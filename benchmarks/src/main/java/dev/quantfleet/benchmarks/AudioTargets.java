package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.TaskKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audio suite's targets and whether each was met:
 * <ul>
 *   <li>per quantized row: ROC-AUC within {@value AudioBenchmark#MAX_AUC_DROP} of fp32, and the
 *       same detection rate at zero false accepts as fp32;</li>
 *   <li>the two in-process searches (several tasks at once, then one at a time) give
 *       byte-identical winners;</li>
 *   <li>the wall time of the in-process search (InProcessSearch.run) is at most 1.2 times one
 *       calibration plus every candidate evaluation, each timed alone in the one-at-a-time search.</li>
 * </ul>
 *
 * @param rows             the quality targets of every row but fp32
 * @param parallelSha256   SHA-256 of the first search's winner
 * @param sequentialSha256 SHA-256 of the second search's winner
 * @param fleetSha256      SHA-256 of the fleet's winner, or null without the fleet row
 * @param searchWallMs     InProcessSearch.run wall time of the first search
 * @param calibrationMs    the CALIBRATE task alone
 * @param baselineMs       the BASELINE task alone
 * @param evaluationsMs    every EVALUATE and SENSITIVITY task alone, summed
 * @param evaluationCount  how many tasks that sum covers
 */
record AudioTargets(List<RowTarget> rows, String parallelSha256, String sequentialSha256, String fleetSha256,
                    long searchWallMs, long calibrationMs, long baselineMs, long evaluationsMs, int evaluationCount) {

    static final double MAX_WALL_RATIO = 1.2;

    /**
     * The quality targets of one row.
     *
     * @param name           the row
     * @param aucDrop        fp32's AUC minus the row's
     * @param detectionDrop  fp32's detection rate at zero false accepts minus the row's
     */
    record RowTarget(String name, double aucDrop, double detectionDrop) {

        boolean aucMet() {
            return aucDrop <= AudioBenchmark.MAX_AUC_DROP;
        }

        boolean detectionMet() {
            return detectionDrop <= 0;
        }
    }

    static AudioTargets of(List<AudioMeasurement> measurements, TimedSearch parallel, TimedSearch sequential,
                           TaskTimes taskTimes, FleetSearch fleet) {
        WakeWordScores.Quality fp32 = measurements.get(0).quality();
        List<RowTarget> rows = new ArrayList<>();
        for (AudioMeasurement measurement : measurements.subList(1, measurements.size())) {
            rows.add(new RowTarget(measurement.row().name(), fp32.auc() - measurement.quality().auc(),
                    fp32.detectionAtZeroFalseAccepts() - measurement.quality().detectionAtZeroFalseAccepts()));
        }
        Map<String, Long> times = taskTimes.millisByTaskId();
        long calibrationMs = 0;
        long baselineMs = 0;
        long evaluationsMs = 0;
        int evaluationCount = 0;
        for (CandidateResult result : sequential.result().outcome().results()) {
            Long millis = times.get(result.taskId());
            if (millis == null || result.cached()) {
                continue;
            }
            if (result.kind() == TaskKind.CALIBRATE) {
                calibrationMs += millis;
            } else if (result.kind() == TaskKind.BASELINE) {
                baselineMs += millis;
            } else {
                evaluationsMs += millis;
                evaluationCount++;
            }
        }
        return new AudioTargets(rows, Sha256.hex(parallel.result().winner().modelBytes()),
                Sha256.hex(sequential.result().winner().modelBytes()),
                fleet == null ? null : Sha256.hex(fleet.modelBytes()),
                parallel.searchLoopMs(), calibrationMs, baselineMs, evaluationsMs, evaluationCount);
    }

    boolean searchesIdentical() {
        return parallelSha256.equals(sequentialSha256);
    }

    /** InProcessSearch.run wall time over (calibration + evaluations), each alone. */
    double wallRatio() {
        return WallTimeRatio.of(searchWallMs, calibrationMs + evaluationsMs);
    }

    /** Returns whether {@link #wallRatio()}, rounded to two decimals, is at most {@value #MAX_WALL_RATIO}. */
    boolean wallRatioMet() {
        return WallTimeRatio.meets(wallRatio(), MAX_WALL_RATIO);
    }
}
