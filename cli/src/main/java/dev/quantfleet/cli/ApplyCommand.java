package dev.quantfleet.cli;

import dev.quantfleet.engine.quantize.Presets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Option(names = "--calibration-data", required = true, paramLabel = "DATA",
            description = "Calibration samples: a text file with one text per line (needs --tokenizer), "
                    + "or tensor data as described in the README.")
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

    @Option(names = "--out", required = true, paramLabel = "OUT.onnx", description = "Quantized model file to write.")
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
        if (!Files.exists(calibrationData)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --calibration-data: '"
                    + calibrationData + "' not found (working directory " + Path.of("").toAbsolutePath()
                    + "). Write texts with 'quantfleet models texts --out FILE' or pass your own data.");
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
        Inputs.requireWritableOutput(spec, "--out", out, model, calibrationData, tokenizer, configuration.configFile);
        if (summaryJson != null) {
            Inputs.requireWritableOutput(spec, "--summary-json", summaryJson, model, calibrationData, tokenizer,
                    configuration.configFile, out);
        }
    }

    int effectiveMaxLength() {
        return maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
    }

    int effectiveThreads() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
