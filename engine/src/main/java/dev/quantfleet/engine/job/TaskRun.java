package dev.quantfleet.engine.job;

import dev.quantfleet.engine.evaluation.Evaluation;

import java.nio.file.Path;

/**
 * The output of {@link TaskRunner} for one task. Each file is null unless the task kind writes
 * it and the task ended OK.
 *
 * @param evaluation            metrics and cost when OK, the reason otherwise
 * @param referenceOutputs      the float model's outputs, from a BASELINE task
 * @param calibrationStatistics activation statistics as JSON, from a CALIBRATE task
 * @param quantizedModel        the quantized model, from an EVALUATE task
 */
public record TaskRun(Evaluation evaluation, Path referenceOutputs, Path calibrationStatistics,
                      Path quantizedModel) {

    /** Returns a run that produced no file. */
    public static TaskRun of(Evaluation evaluation) {
        return new TaskRun(evaluation, null, null, null);
    }
}
