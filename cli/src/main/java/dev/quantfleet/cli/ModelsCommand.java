package dev.quantfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code quantfleet models}: real models and calibration texts from outside the repository. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Fetches real models and writes calibration texts and OCR text line images.",
        subcommands = {FetchModelCommand.class, TextsCommand.class, OcrLinesCommand.class})
final class ModelsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Inputs.missingSubcommand(spec);
    }
}
