package dev.quantfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code quantfleet} command. Exit codes: 0 on success, 2 for invalid usage or input
 * (unknown option, missing file, invalid model), 1 when a step fails for another reason
 * (registry unreachable, internal error).
 */
@Command(
        name = "quantfleet",
        mixinStandardHelpOptions = true,
        versionProvider = BuildInfo.class,
        description = "Quantizes ONNX models with calibration data and reports what changed.",
        subcommands = {
            ModelsCommand.class,
            InspectCommand.class,
            ApplyCommand.class,
            QuantizeCommand.class,
            SubmitCommand.class,
            StatusCommand.class,
            WatchCommand.class,
            ResultCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class QuantfleetCommand implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** Builds the command line with Quantfleet's error handling and exit codes. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new QuantfleetCommand());
        commandLine.setParameterExceptionHandler(new ErrorHandlers.UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new ErrorHandlers.FailureHandler());
        setVersionProvider(commandLine, new BuildInfo());
        return commandLine;
    }

    /**
     * Gives every subcommand the root's version text, because picocli prints nothing for
     * {@code -V} on a subcommand that has no version provider of its own.
     */
    private static void setVersionProvider(CommandLine commandLine, BuildInfo buildInfo) {
        commandLine.getCommandSpec().versionProvider(buildInfo);
        commandLine.getSubcommands().values().forEach(subcommand -> setVersionProvider(subcommand, buildInfo));
    }

    @Override
    public void run() {
        throw Inputs.missingSubcommand(spec);
    }
}
