package dev.quantfleet.cli;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.calibration.CalibrationStatistics;
import dev.quantfleet.engine.calibration.Calibrator;
import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.InvalidTokenizerException;
import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.model.LoadedModel;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.quantize.ActivationRanges;
import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QdqQuantizer;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.quantize.QuantFormat;
import dev.quantfleet.engine.quantize.QuantizationException;
import dev.quantfleet.engine.quantize.QuantizationResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of {@code quantfleet apply}: read the configuration, load the model, calibrate the
 * tensors the quantizer may need ranges for, quantize, save, and print the report. Errors in the
 * user's files become {@link InvalidInputException} (exit code 2).
 */
final class ApplyRun {

    private final ApplyCommand command;
    private final PrintWriter out;

    ApplyRun(ApplyCommand command, PrintWriter out) {
        this.command = command;
        this.out = out;
    }

    int run() {
        ApplyReport report = new ApplyReport(out);
        long startNanos = System.nanoTime();
        QuantConfig config = withMethodOverride(readConfig());
        command.validateCalibrationData(config.format());
        report.config(configLabel(), config);

        LoadedModel loaded = EngineWiring.loadModelWithDataFiles(command.model);
        requireOutputsDifferFromExternalData(loaded.externalDataFiles());
        ModelProto model = loaded.model();
        requireNodeNamesExist(model, config);
        report.step("load", startNanos);

        ActivationRanges ranges = ActivationRanges.none();
        if (config.format() == QuantFormat.QDQ) {
            long calibrationStartNanos = System.nanoTime();
            CalibrationStatistics statistics = calibrate(model, config, report);
            ranges = ActivationRanges.fromStatistics(statistics, config);
            report.step("calibrate", calibrationStartNanos);
        } else if (command.calibrationData != null) {
            report.note("Format " + config.format() + " quantizes activations at run time, so "
                    + command.calibrationData + " was not read");
        }

        long quantizeStartNanos = System.nanoTime();
        QuantizationResult result = quantize(model, config, ranges);
        report.step("quantize", quantizeStartNanos);

        long saveStartNanos = System.nanoTime();
        save(result);
        report.step("save", saveStartNanos);

        report.result(result.summary(), command.model, command.out, command.summaryJson);
        report.elapsed(startNanos);
        return 0;
    }

    /** Rejects an output that would overwrite one of the model's external data files. */
    private void requireOutputsDifferFromExternalData(List<Path> externalDataFiles) {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--out", command.out);
        outputs.put("--out (its external data file)", ApplyCommand.externalDataFile(command.out));
        if (command.summaryJson != null) {
            outputs.put("--summary-json", command.summaryJson);
        }
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            Path real = InputFiles.realPath(output.getValue());
            if (externalDataFiles.contains(real)) {
                throw new InvalidInputException("Invalid value for " + output.getKey() + ": '" + output.getValue()
                        + "' is also an input (an external data file of MODEL " + command.model + ", " + real
                        + "); write the output to another file");
            }
        }
    }

    /** Rejects node patterns and override names that match no node, before calibration spends time. */
    private void requireNodeNamesExist(ModelProto model, QuantConfig config) {
        try {
            QdqQuantizer.validateNodeSelection(model, config);
        } catch (QuantizationException e) {
            throw new InvalidInputException("Invalid configuration " + configLabel() + " for " + command.model + ": "
                    + e.getMessage(), e);
        }
    }

    private String configLabel() {
        ApplyCommand.Configuration configuration = command.configuration;
        return configuration.preset != null ? "preset " + configuration.preset.trim() : configuration.configFile.toString();
    }

    private QuantConfig readConfig() {
        ApplyCommand.Configuration configuration = command.configuration;
        if (configuration.preset != null) {
            try {
                return Presets.byName(configuration.preset.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage() + ". Pass --config CONFIG.json for other settings.", e);
            }
        }
        try {
            return QuantConfig.fromJson(Files.readString(configuration.configFile));
        } catch (InvalidQuantConfigException e) {
            throw new InvalidInputException("Invalid configuration " + configuration.configFile + ": "
                    + String.join("; ", e.problems()), e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read configuration " + configuration.configFile + ": " + e, e);
        }
    }

    /** Returns {@code config} with the calibration method of {@code --method}, when given. */
    private QuantConfig withMethodOverride(QuantConfig config) {
        if (command.method == null) {
            return config;
        }
        CalibrationMethod method;
        try {
            method = CalibrationMethod.fromName(command.method);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Invalid value for --method: " + e.getMessage(), e);
        }
        try {
            return config.toBuilder().calibrationMethod(method).build();
        } catch (InvalidQuantConfigException e) {
            throw new InvalidInputException("--method " + method + " does not fit the configuration: "
                    + String.join("; ", e.problems()), e);
        }
    }

    private CalibrationStatistics calibrate(ModelProto model, QuantConfig config, ApplyReport report) {
        List<String> tensors = QdqQuantizer.tensorsToCalibrate(model);
        TextOptions textOptions = command.tokenizer == null ? null
                : new TextOptions(command.tokenizer, command.effectiveMaxLength(), false);
        try (SampleSource samples = SampleSources.open(command.calibrationData, model, textOptions)) {
            Calibrator calibrator = new Calibrator(model, tensors, command.effectiveThreads(),
                    config.calibrationParameters().numBins());
            CalibrationStatistics statistics = calibrator.calibrate(samples);
            report.calibration(tensors.size(), samples.size(), samples.description());
            warnAboutTensorsWithoutFiniteValues(statistics, report);
            return statistics;
        } catch (InvalidTokenizerException e) {
            throw new InvalidInputException("Invalid value for --tokenizer: '" + command.tokenizer + "' cannot be "
                    + "loaded as a Hugging Face tokenizer.json: " + rootCauseMessage(e), e);
        } catch (InvalidDataException e) {
            throw new InvalidInputException("Invalid calibration data " + command.calibrationData + ": "
                    + e.getMessage(), e);
        } catch (OrtException e) {
            throw new CommandFailedException("ONNX Runtime failed during calibration: " + e.getMessage(), e);
        }
    }

    private static String rootCauseMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /**
     * Warns about calibrated tensors that saw only NaN or infinite values. Their range falls back
     * to [0, 0], so the nodes that read them lose accuracy.
     */
    private static void warnAboutTensorsWithoutFiniteValues(CalibrationStatistics statistics, ApplyReport report) {
        List<String> names = statistics.tensors().entrySet().stream()
                .filter(tensor -> tensor.getValue().count() == 0)
                .map(Map.Entry::getKey)
                .toList();
        if (!names.isEmpty()) {
            report.warning(names.size() + " tensors had no finite value in any sample, so they get "
                    + "the range [0, 0]: " + names + ". Check the calibration data and the model for overflow");
        }
    }

    private static QuantizationResult quantize(ModelProto model, QuantConfig config, ActivationRanges ranges) {
        try {
            return QdqQuantizer.quantize(model, config, ranges);
        } catch (QuantizationException e) {
            throw new InvalidInputException("Cannot quantize with this configuration: " + e.getMessage(), e);
        }
    }

    private void save(QuantizationResult result) {
        try {
            Path parent = command.out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelIo.save(result.model(), command.out);
            if (command.summaryJson != null) {
                Files.writeString(command.summaryJson, result.toJson());
            }
        } catch (IOException e) {
            throw new CommandFailedException("Cannot write the quantized model or its summary: " + e
                    + ". Check the free disk space and the permissions of " + command.out.toAbsolutePath().getParent(), e);
        }
    }
}
