package dev.quantfleet.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/**
 * Connects {@code inspect} and {@code apply} to the engine.
 *
 * <p>TODO: the engine classes these commands need (ModelSummary, the calibration data readers,
 * Calibrator, QdqQuantizer, Presets) are not in this build yet, so both commands validate their
 * input and then stop with exit code 1.
 */
final class EngineWiring {

    private EngineWiring() {
    }

    static int inspect(CommandSpec spec, Path model) {
        throw notAvailable("inspect");
    }

    static int apply(CommandSpec spec, ApplyCommand command) {
        throw notAvailable("apply");
    }

    private static CommandFailedException notAvailable(String command) {
        return new CommandFailedException("'" + command + "' checked its input, but this build does not contain "
                + "the engine part it needs yet", null);
    }
}
