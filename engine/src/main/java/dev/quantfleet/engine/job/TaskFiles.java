package dev.quantfleet.engine.job;

import dev.quantfleet.engine.data.TextOptions;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The local files of one search task, as a worker downloads them.
 *
 * @param model                 the float ONNX model; its external data files lie beside it
 * @param calibrationData       calibration samples, in any form {@code SampleSources} reads
 * @param calibrationText       tokenizer settings for text calibration data, or null
 * @param evaluationData        evaluation samples, or a {@code .tsv} file of query/document pairs
 * @param evaluationLabels      class labels of the evaluation samples, or null
 * @param evaluationText        tokenizer settings for text evaluation data, or null
 * @param calibrationStatistics the CALIBRATE task's statistics JSON; needed by EVALUATE and
 *                              SENSITIVITY tasks of the QDQ format, null otherwise
 * @param referenceOutputs      the BASELINE task's {@link dev.quantfleet.engine.evaluation.ReferenceOutputsFile};
 *                              needed by EVALUATE and SENSITIVITY tasks, null otherwise
 */
public record TaskFiles(Path model, Path calibrationData, TextOptions calibrationText, Path evaluationData,
                        Path evaluationLabels, TextOptions evaluationText, Path calibrationStatistics,
                        Path referenceOutputs) {

    public TaskFiles {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(calibrationData, "calibrationData");
        Objects.requireNonNull(evaluationData, "evaluationData");
    }
}
