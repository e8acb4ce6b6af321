package dev.quantfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns exceptions into one-line error messages and the exit codes of {@link QuantfleetCommand}. */
final class ErrorHandlers {

    private ErrorHandlers() {
    }

    /** Prints the usage error and a pointer to the help, and exits with 2. */
    static final class UsageErrorHandler implements IParameterExceptionHandler {

        @Override
        public int handleParseException(ParameterException exception, String[] args) {
            CommandLine commandLine = exception.getCommandLine();
            PrintWriter err = commandLine.getErr();
            // Picocli starts some messages, such as the one for mutually exclusive options, with "Error: ".
            String message = plainMessage(exception.getMessage().replaceFirst("^Error: ", ""));
            err.println(commandLine.getColorScheme().errorText("Error: " + message));
            UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return ExitCode.USAGE;
        }
    }

    /** Picocli's message for an exclusive option group matched twice, which shows its internal state. */
    private static final Pattern GROUP_MATCHED_TWICE = Pattern.compile("^expected only one match but got \\((.+?)\\)=.*",
            Pattern.DOTALL);

    /** Rewrites picocli messages that show internals into plain sentences; returns other messages unchanged. */
    static String plainMessage(String message) {
        Matcher twice = GROUP_MATCHED_TWICE.matcher(message);
        if (!twice.matches()) {
            return message;
        }
        List<String> options = Arrays.stream(twice.group(1).split("\\s*\\|\\s*"))
                .map(option -> option.replaceFirst("=.*", ""))
                .toList();
        return String.join(" or ", options) + " was given more than once; give exactly one of them, once";
    }

    /**
     * Prints the message of an expected failure ({@link InvalidInputException} exits with 2,
     * {@link CommandFailedException} with 1) and the stack trace of anything else, which is a bug.
     */
    static final class FailureHandler implements IExecutionExceptionHandler {

        @Override
        public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            if (exception instanceof InvalidInputException) {
                err.println(commandLine.getColorScheme().errorText("Error: " + exception.getMessage()));
                err.flush();
                return ExitCode.USAGE;
            }
            if (exception instanceof CommandFailedException) {
                err.println(commandLine.getColorScheme().errorText("Failed: " + exception.getMessage()));
                err.flush();
                return ExitCode.SOFTWARE;
            }
            err.println(commandLine.getColorScheme().errorText("Internal error: " + exception));
            exception.printStackTrace(err);
            err.flush();
            return ExitCode.SOFTWARE;
        }
    }
}
