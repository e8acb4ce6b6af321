package dev.quantfleet.cli.fleet;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The local files of a search, before upload.
 *
 * @param model           the float ONNX model; external data files lie beside it, at the locations it names
 * @param calibrationData calibration samples: one file (.npy, .npz, .txt with one text per line)
 * @param evaluationData  evaluation samples in the same forms, or a .tsv file of query/document pairs
 * @param labels          class labels of the evaluation samples; null for none
 * @param tokenizer       the tokenizer.json of text data; null for tensor data
 * @param maxLength       the token limit per text; null for the default
 */
public record FleetInputs(Path model, Path calibrationData, Path evaluationData, Path labels, Path tokenizer,
                          Integer maxLength) {

    public FleetInputs {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(calibrationData, "calibrationData");
        Objects.requireNonNull(evaluationData, "evaluationData");
    }
}
