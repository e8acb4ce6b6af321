package dev.quantfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

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
            String message = exception.getMessage().replaceFirst("^Error: ", "");
            err.println(commandLine.getColorScheme().errorText("Error: " + message));
            UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return ExitCode.USAGE;
        }
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
