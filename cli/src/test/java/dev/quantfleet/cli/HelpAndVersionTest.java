package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --help} and {@code -V} of every command and subcommand. */
class HelpAndVersionTest {

    @Test
    void helpOfEveryCommandPrintsNoWarning() {
        for (List<String> path : commandPaths()) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");

            CapturedRun run = runCapturingSystemErr(args);

            assertThat(run.cli().exitCode()).as("exit code of %s", args).isZero();
            assertThat(run.cli().out()).as("help of %s", args).contains("Usage:");
            assertThat(run.systemErr()).as("System.err of %s", args).doesNotContain("WARN");
            assertThat(run.cli().err()).as("error output of %s", args).doesNotContain("WARN");
            assertThat(run.cli().out()).as("help of %s", args).doesNotContain("%%", "%n");
        }
    }

    @Test
    void quantizeHelpShowsMaxDropDefaultAsPercent() {
        CliRun run = runCapturingSystemErr(List.of("quantize", "--help")).cli();

        String helpOnOneLine = run.out().replaceAll("\\s+", " ");
        assertThat(helpOnOneLine).contains("(default: 1%)");
        assertThat(helpOnOneLine).contains("with a % sign (1%)");
    }

    @Test
    void versionOfEveryCommandPrintsProjectVersion() {
        for (List<String> path : commandPaths()) {
            for (String versionOption : List.of("-V", "--version")) {
                List<String> args = new ArrayList<>(path);
                args.add(versionOption);

                CliRun run = CliRun.run(args.toArray(String[]::new));

                assertThat(run.exitCode()).as("exit code of %s", args).isZero();
                assertThat(run.out()).as("output of %s", args).startsWith("quantfleet " + BuildInfo.version());
            }
        }
    }

    @Test
    void commandPathsCoverNestedSubcommands() {
        assertThat(commandPaths()).contains(List.of(), List.of("quantize"), List.of("models", "ocr-lines"),
                List.of("models", "fetch"), List.of("demo"));
    }

    /** Lists the arguments that select each command and subcommand, the root first, without the help command. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collectPaths(QuantfleetCommand.newCommandLine(), List.of(), paths);
        return paths;
    }

    private static void collectPaths(CommandLine commandLine, List<String> path, List<List<String>> paths) {
        paths.add(path);
        commandLine.getSubcommands().forEach((name, subcommand) -> {
            if (subcommand.getCommand() instanceof CommandLine.HelpCommand) {
                return;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collectPaths(subcommand, subPath, paths);
        });
    }

    private record CapturedRun(CliRun cli, String systemErr) {
    }

    /** Runs the command line with {@link System#err} captured, where picocli's tracer writes its warnings. */
    private static CapturedRun runCapturingSystemErr(List<String> args) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CliRun run = CliRun.run(args.toArray(String[]::new));
            return new CapturedRun(run, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
        }
    }
}
