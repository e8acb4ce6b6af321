package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;

/**
 * Runs one search task. {@link InProcessSearch} calls it from several threads at once.
 * <ul>
 *   <li>BASELINE: evaluate the float model; its metrics are the reference values.</li>
 *   <li>CALIBRATE: collect activation statistics for the later tasks; the returned evaluation
 *       only reports OK or why it failed.</li>
 *   <li>EVALUATE and SENSITIVITY: quantize with {@link SearchTask#config()} and evaluate.</li>
 * </ul>
 * A failure is returned as a FAILED or UNSUPPORTED evaluation; a thrown runtime exception is
 * recorded as FAILED with its message.
 */
@FunctionalInterface
public interface TaskExecutor {

    Evaluation execute(SearchTask task);
}
