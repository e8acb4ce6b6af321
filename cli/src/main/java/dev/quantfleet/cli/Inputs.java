package dev.quantfleet.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Checks of command line values that picocli cannot express, raising usage errors that name the value. */
final class Inputs {

    private Inputs() {
    }

    /** Raises a usage error unless {@code file} is an existing, readable regular file. */
    static void requireReadableFile(CommandSpec spec, String optionName, Path file) {
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for " + optionName + ": '" + file + "' is a directory, expected a file");
        }
        if (!Files.exists(file)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for " + optionName + ": file '" + file + "' not found (working directory "
                            + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for " + optionName + ": file '" + file + "' is not readable; check its permissions");
        }
    }

    /** Raises a usage error unless {@code output} can be created: not a directory, and not an existing input. */
    static void requireWritableOutput(CommandSpec spec, String optionName, Path output, Path... inputs) {
        InputFiles files = new InputFiles();
        for (Path input : inputs) {
            files.add("an input", input);
        }
        requireWritableOutput(spec, optionName, output, files);
    }

    /**
     * Raises a usage error unless {@code output} can be created: not a directory, not below a
     * file, and not one of {@code inputs} after resolving links.
     */
    static void requireWritableOutput(CommandSpec spec, String optionName, Path output, InputFiles inputs) {
        if (Files.isDirectory(output)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for " + optionName + ": '" + output + "' is a directory, expected a file name");
        }
        inputs.find(output).ifPresent(input -> {
            throw new ParameterException(spec.commandLine(), "Invalid value for " + optionName + ": '" + output
                    + "' is also an input (" + input.role() + ", " + input.realPath()
                    + "); write the output to another file");
        });
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for " + optionName + ": '" + parent
                    + "' is a file, so '" + output + "' cannot be created");
        }
    }

    /** Raises a usage error unless {@code value} is at least {@code minimum}. */
    static void requireAtLeast(CommandSpec spec, String optionName, long value, long minimum) {
        if (value < minimum) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for " + optionName + ": " + value + "; expected " + minimum + " or more");
        }
    }

    /** Builds the usage error for a command that was run without one of its subcommands. */
    static ParameterException missingSubcommand(CommandSpec spec) {
        String names = spec.subcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .collect(Collectors.joining(", "));
        return new ParameterException(spec.commandLine(), "Missing subcommand for '" + spec.qualifiedName()
                + "'; expected one of: " + names);
    }
}
