package dev.quantfleet.cli;

import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;

/**
 * {@code quantfleet apply}: quantizes one model with one configuration. Loads the model,
 * calibrates the tensors the quantizer needs ranges for on the calibration data, inserts
 * QuantizeLinear/DequantizeLinear pairs and saves the result.
 */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Quantizes an ONNX model with a preset or a configuration file, calibrating activation "
                + "ranges on the calibration data, and writes the quantized model.")
final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file to quantize.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Configuration configuration;

    /** Exactly one source of the quantization configuration. */
    static final class Configuration {

        @Option(names = "--preset", paramLabel = "NAME", required = true,
                description = "Named configuration: ${COMPLETION-CANDIDATES}.", completionCandidates = PresetNames.class)
        String preset;

        @Option(names = "--config", paramLabel = "CONFIG.json", required = true,
                description = "Quantization configuration as JSON; see the README for the fields.")
        Path configFile;
    }

    /** The engine's preset names, for the help text. */
    static final class PresetNames implements Iterable<String> {

        @Override
        public Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }

    @Option(names = "--calibration-data", paramLabel = "DATA",
            description = "Calibration samples: a text file with one text per line (needs --tokenizer), "
                    + "or tensor data as described in the README. Required unless the configuration is Dynamic, "
                    + "which does not read it.")
    Path calibrationData;

    @Option(names = "--tokenizer", paramLabel = "tokenizer.json",
            description = "Hugging Face tokenizer.json that turns each text line into input_ids, attention_mask "
                    + "and token_type_ids.")
    Path tokenizer;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Maximum tokens per text; longer texts are truncated (default: 128, needs --tokenizer).")
    Integer maxLength;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "Calibration method that turns observed values into ranges, overriding the preset or "
                    + "configuration: MinMax, Percentile, Entropy or MinMSE.")
    String method;

    @Option(names = "--out", required = true, paramLabel = "OUT.onnx", description = "Quantized model file to write; missing folders are created.")
    Path out;

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = "Also write the quantization summary (every node quantized, excluded or skipped, with the "
                    + "reason) as JSON to FILE.")
    Path summaryJson;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for ONNX Runtime during calibration (default: number of processors).")
    Integer threads;

    static final int DEFAULT_MAX_LENGTH = 128;

    @Override
    public Integer call() {
        validate();
        return EngineWiring.apply(spec, this);
    }

    /** Checks files and option combinations before any work starts, raising usage errors that name the value. */
    void validate() {
        Inputs.requireReadableFile(spec, "MODEL", model);
        if (configuration.configFile != null) {
            Inputs.requireReadableFile(spec, "--config", configuration.configFile);
        }
        if (configuration.preset != null && configuration.preset.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --preset: the name is empty");
        }
        if (tokenizer != null) {
            Inputs.requireReadableFile(spec, "--tokenizer", tokenizer);
        }
        if (maxLength != null) {
            if (tokenizer == null) {
                throw new ParameterException(spec.commandLine(),
                        "--max-length " + maxLength + " needs --tokenizer: it limits the tokens of each text line");
            }
            Inputs.requireAtLeast(spec, "--max-length", maxLength, 1);
        }
        if (threads != null) {
            Inputs.requireAtLeast(spec, "--threads", threads, 1);
        }
        if (method != null && method.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --method: the name is empty");
        }
        requireOutputsDifferFromInputs();
    }

    /**
     * Raises a usage error when {@code --out}, the {@code OUT.data} file that a large model's
     * initializers go to, or {@code --summary-json} is an input file after resolving links, or when
     * both outputs name one file. The model's external data files are checked after loading, by
     * {@link ApplyRun}.
     */
    private void requireOutputsDifferFromInputs() {
        InputFiles inputs = new InputFiles()
                .add("MODEL", model)
                .add("--config", configuration.configFile)
                .add("--tokenizer", tokenizer);
        try {
            inputs.addTree("--calibration-data", calibrationData);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --calibration-data: cannot list the "
                    + "files of '" + calibrationData + "': " + e);
        }
        Inputs.requireWritableOutput(spec, "--out", out, inputs);
        inputs.find(externalDataFile(out)).ifPresent(input -> {
            throw new ParameterException(spec.commandLine(), "Invalid value for --out: a large quantized model stores "
                    + "its initializers in '" + externalDataFile(out) + "', which is also an input (" + input.role()
                    + ", " + input.realPath() + "); write the output to another file");
        });
        if (summaryJson != null) {
            Inputs.requireWritableOutput(spec, "--summary-json", summaryJson, inputs);
            if (InputFiles.realPath(summaryJson).equals(InputFiles.realPath(out))) {
                throw new ParameterException(spec.commandLine(), "Invalid value for --summary-json: '" + summaryJson
                        + "' and --out '" + out + "' name the same file; give the summary another file name");
            }
        }
    }

    /**
     * Checks {@code --calibration-data} once the configuration's format is known: QDQ needs
     * existing data, and text data needs {@code --tokenizer}. Dynamic format does not read the
     * data, so it is not checked then.
     */
    void validateCalibrationData(QuantFormat format) {
        if (format != QuantFormat.QDQ) {
            return;
        }
        if (calibrationData == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--calibration-data=DATA'; "
                    + "format " + format + " measures activation ranges on it. Write texts with 'quantfleet models "
                    + "texts --out FILE' or pass your own data");
        }
        if (!Files.exists(calibrationData)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --calibration-data: '"
                    + calibrationData + "' not found (working directory " + Path.of("").toAbsolutePath()
                    + "). Write texts with 'quantfleet models texts --out FILE' or pass your own data.");
        }
        if (tokenizer == null && isTextFile(calibrationData)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --calibration-data: '"
                    + calibrationData + "' is text data, which needs a tokenizer; pass --tokenizer FILE with the "
                    + "model's Hugging Face tokenizer.json");
        }
    }

    private static boolean isTextFile(Path data) {
        String name = data.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isRegularFile(data) && (name.endsWith(".txt") || name.endsWith(".text"));
    }

    /** Returns the file that {@code ModelIo.save} moves large initializers to when it writes {@code modelFile}. */
    static Path externalDataFile(Path modelFile) {
        return modelFile.resolveSibling(modelFile.getFileName() + ".data");
    }

    int effectiveMaxLength() {
        return maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
    }

    int effectiveThreads() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
