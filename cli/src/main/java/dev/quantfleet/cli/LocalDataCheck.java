package dev.quantfleet.cli;

import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.InvalidTokenizerException;
import dev.quantfleet.engine.evaluation.EvaluationData;
import dev.quantfleet.engine.job.LocalSearch;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.InvalidModelException;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the checks of the model, the data and the labels that an in-process search runs before its
 * first task ({@link LocalSearch#openEvaluationData} and {@link LocalSearch#checkCalibrationData}),
 * so that fleet mode rejects bad input before it starts the fleet. Each message names the files
 * by their option and the path given on the command line, such as
 * {@code --eval-labels /tmp/labels.txt}.
 */
final class LocalDataCheck {

    private final LocalSearchSpec spec;

    LocalDataCheck(LocalSearchSpec spec) {
        this.spec = spec;
    }

    /**
     * Reads the model, the calibration data, the evaluation data and the labels.
     *
     * @throws InvalidInputException naming the option and the file that failed, and why
     */
    void run() {
        ModelProto model = loadModel();
        Map<Path, String> calibrationOption = Map.of(spec.calibrationData(), "--calibration-data");
        check(calibrationOption, () -> LocalSearch.checkCalibrationData(spec, model));

        Map<Path, String> evaluationOptions = new LinkedHashMap<>();
        evaluationOptions.put(spec.evaluationData(), "--eval-data");
        if (spec.evaluationLabels() != null) {
            evaluationOptions.put(spec.evaluationLabels(), "--eval-labels");
        }
        check(evaluationOptions, () -> LocalSearch.openEvaluationData(spec, model).close());
    }

    private ModelProto loadModel() {
        try {
            return ModelIo.loadWithDataFiles(spec.model(), ModelLimits.defaults()).model();
        } catch (InvalidModelException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read model " + spec.model() + ": " + e, e);
        }
    }

    /** Runs one engine check and rewrites the paths in its message as the options that gave them. */
    private void check(Map<Path, String> options, Runnable engineCheck) {
        try {
            engineCheck.run();
        } catch (InvalidTokenizerException e) {
            throw new InvalidInputException("Invalid value for --tokenizer: '" + spec.textOptions().tokenizer()
                    + "' cannot be loaded as a Hugging Face tokenizer.json: " + e.getMessage(), e);
        } catch (InvalidDataException | UncheckedIOException e) {
            String message = Objects.toString(e.getMessage(), e.toString());
            throw new InvalidInputException("Invalid data: " + withOptionNames(message, options), e);
        }
    }

    /**
     * Returns {@code message} with each path of {@code options} preceded by its option name. The
     * paths are matched in one pass, longest first, so a path that starts with another one, such as
     * {@code data.npy} and {@code data.npy.labels}, keeps its own option.
     */
    static String withOptionNames(String message, Map<Path, String> options) {
        Map<String, String> optionByPath = new LinkedHashMap<>();
        options.forEach((path, option) -> optionByPath.putIfAbsent(path.toString(), option));
        String alternatives = optionByPath.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        Matcher matcher = Pattern.compile(alternatives).matcher(message);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(optionByPath.get(match.group()) + " "
                + match.group()));
    }
}
