package dev.quantfleet.engine.search;

/**
 * The model and data of a search, as locations the {@link TaskExecutor} resolves, with the
 * content hashes that key the {@link SensitivityCache}.
 *
 * @param model           location of the float model
 * @param modelSha256     SHA-256 (hex) of the model file
 * @param calibrationData location of the calibration samples
 * @param evaluationData  location of the evaluation samples
 * @param dataSha256      SHA-256 (hex) over the calibration and evaluation data, computed by the caller
 */
public record SearchInputs(String model, String modelSha256, String calibrationData, String evaluationData,
                           String dataSha256) {
}
