package dev.quantfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code quantfleet inspect MODEL}: prints a summary of an ONNX model. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Prints a summary of an ONNX model: opsets, inputs and outputs, operator counts, "
                + "weights and whether it is already quantized.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file (.onnx).")
    Path model;

    @Override
    public Integer call() {
        Inputs.requireReadableFile(spec, "MODEL", model);
        return EngineWiring.inspect(spec, model);
    }
}
