package dev.quantfleet.benchmarks;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.evaluation.CandidateEvaluator;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.evaluation.ModelEvaluator;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.search.CandidateResult;
import dev.quantfleet.engine.search.TaskKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a finished search, run again one after the other with the search's settings,
 * so with the same ONNX Runtime threads per task. The parts are one calibration, the BASELINE
 * task, and every EVALUATE and SENSITIVITY task the search ran (cached probes excluded), in
 * task id order. The sum of these times is what the search would cost with one task at a time
 * and no overhead.
 *
 * @param calibrationMs  {@link CandidateEvaluator#calibrate} over the calibration data
 * @param baselineMs     {@link ModelEvaluator#forFloatModel} plus the evaluation of the float model
 * @param evaluations    one timed evaluation per task, in task id order
 */
record SearchCostBreakdown(long calibrationMs, long baselineMs, List<TimedEvaluation> evaluations) {

    /**
     * One candidate evaluation, quantization included.
     *
     * @param round          the search round the task ran in
     * @param kind           EVALUATE or SENSITIVITY
     * @param candidateId    the candidate
     * @param config         {@link TimedSearch#describe} of the candidate's configuration
     * @param evaluationMs   {@link CandidateEvaluator#evaluate} wall time
     */
    record TimedEvaluation(int round, TaskKind kind, String candidateId, String config, long evaluationMs) {
    }

    /** Runs the parts of {@code search} again, one at a time. */
    static SearchCostBreakdown measure(TimedSearch search) throws OrtException {
        LocalSearchSpec spec = search.spec();
        ModelProto model = MiniLmFiles.loadModel(spec.model());

        long start = System.nanoTime();
        CalibrationStatistics statistics;
        try (SampleSource samples = SampleSources.open(spec.calibrationData(), model, spec.textOptions())) {
            statistics = CandidateEvaluator.calibrate(model, samples, spec.settings().threads());
        }
        long calibrationMs = elapsedMs(start);
        System.out.printf("breakdown: calibration %d ms%n", calibrationMs);

        try (EvaluationData data = EvaluationData.open(spec.evaluationData(), spec.evaluationLabels(), model,
                spec.textOptions())) {
            start = System.nanoTime();
            ModelEvaluator evaluator = ModelEvaluator.forFloatModel(model, data,
                    List.of(TaskMetrics.byName(spec.goal().metric())), spec.settings());
            evaluator.evaluate(ModelIo.toBytes(model), List.of());
            long baselineMs = elapsedMs(start);
            System.out.printf("breakdown: baseline %d ms%n", baselineMs);

            CandidateEvaluator candidates = new CandidateEvaluator(evaluator);
            List<TimedEvaluation> evaluations = new ArrayList<>();
            for (CandidateResult task : search.result().outcome().results()) {
                if (task.cached() || task.config() == null
                        || (task.kind() != TaskKind.EVALUATE && task.kind() != TaskKind.SENSITIVITY)) {
                    continue;
                }
                start = System.nanoTime();
                candidates.evaluate(model, statistics, task.config());
                TimedEvaluation timed = new TimedEvaluation(task.round(), task.kind(), task.candidateId(),
                        TimedSearch.describe(task.config()), elapsedMs(start));
                System.out.printf("breakdown: %s%n", timed);
                evaluations.add(timed);
            }
            return new SearchCostBreakdown(calibrationMs, baselineMs, evaluations);
        }
    }

    long evaluationsMs() {
        return evaluations.stream().mapToLong(TimedEvaluation::evaluationMs).sum();
    }

    /** Calibration, baseline and every evaluation, one after the other. */
    long sequentialMs() {
        return calibrationMs + baselineMs + evaluationsMs();
    }

    /**
     * Estimates the least wall time of the same tasks on {@code parallelTasks} threads when each
     * round waits for its slowest task, as {@code InProcessSearch} does: per round,
     * {@code max(longest task, sum of its tasks / parallelTasks)}, summed over the rounds. Round 0
     * holds the calibration and the baseline. A lower bound, because it ignores how the tasks
     * of a round pack onto the threads.
     */
    long roundBoundMs(int parallelTasks) {
        Map<Integer, List<Long>> rounds = new TreeMap<>();
        rounds.put(0, new ArrayList<>(List.of(calibrationMs, baselineMs)));
        for (TimedEvaluation evaluation : evaluations) {
            rounds.computeIfAbsent(evaluation.round(), round -> new ArrayList<>()).add(evaluation.evaluationMs());
        }
        double total = 0;
        for (List<Long> times : rounds.values()) {
            long longest = times.stream().mapToLong(Long::longValue).max().orElse(0);
            double shared = times.stream().mapToLong(Long::longValue).sum() / (double) parallelTasks;
            total += Math.max(longest, shared);
        }
        return Math.round(total);
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
