package dev.quantfleet.cli;

import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.InvalidTokenizerException;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.data.TextPairs;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.evaluation.MetricDirection;
import dev.quantfleet.engine.evaluation.MetricDirections;
import dev.quantfleet.engine.evaluation.TaskMetric;
import dev.quantfleet.engine.evaluation.TaskMetrics;
import dev.quantfleet.engine.evaluation.TextLabels;
import dev.quantfleet.engine.evaluation.TextRecognitionMetrics;
import dev.quantfleet.engine.job.BaselineFailedException;
import dev.quantfleet.engine.job.LocalSearch;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.InvalidModelException;
import dev.quantfleet.engine.search.Objective;
import dev.quantfleet.engine.search.SearchBudget;
import dev.quantfleet.engine.search.SearchGoal;
import dev.quantfleet.engine.search.SearchStrategies;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The steps of {@code quantfleet quantize --in-process}: check the options, run the search with
 * progress on standard error, write the winner and the report, print the summary.
 */
final class QuantizeRun {

    /** Warm-up and timed runs per candidate when the objective is latency. */
    private static final int LATENCY_WARMUP_RUNS = 3;
    private static final int LATENCY_RUNS = 20;

    private final SearchCommandOptions command;
    private final PrintWriter out;
    private final PrintWriter err;

    QuantizeRun(SearchCommandOptions command, PrintWriter out, PrintWriter err) {
        this.command = command;
        this.out = out;
        this.err = err;
    }

    int run() {
        LocalSearchSpec spec = spec();
        LocalSearchResult result;
        try {
            result = LocalSearch.run(spec, new QuantizeProgress(err, System.console() != null));
        } catch (BaselineFailedException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (InvalidModelException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (InvalidTokenizerException e) {
            throw new InvalidInputException("Invalid value for --tokenizer: '" + command.tokenizer + "' cannot be "
                    + "loaded as a Hugging Face tokenizer.json: " + e.getMessage(), e);
        } catch (InvalidDataException e) {
            throw new InvalidInputException("Invalid data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read model " + command.model + ": " + e, e);
        }
        write(result);
        new QuantizeSummary(out).print(result, command.outputFolder());
        return result.acceptable() ? 0 : QuantizeCommand.NOTHING_ACCEPTABLE;
    }

    /**
     * Checks the options and returns the search they describe, so that both modes reject the same
     * input with the same message.
     *
     * @throws InvalidInputException naming the option, the value and the fix
     */
    LocalSearchSpec spec() {
        requireInputs();
        SearchOptions.MaxDrop maxDrop = SearchOptions.maxDrop(command.maxDrop);
        SearchGoal goal = new SearchGoal(command.metric.trim(), direction(command.metric.trim()), maxDrop.value(),
                maxDrop.relative(), objective());
        String strategy = command.strategy.trim();
        if (!SearchStrategies.NAMES.contains(strategy)) {
            throw new InvalidInputException("Invalid value for --strategy: '" + command.strategy + "'; use one of "
                    + SearchStrategies.NAMES);
        }
        requireDataForMetric(goal.metric());
        Duration deadline = command.deadline == null ? null : SearchOptions.deadline(command.deadline);
        SearchBudget budget = new SearchBudget(command.maxTrials, deadline, command.stopAtFirstAcceptable);
        EvaluationSettings settings = EvaluationSettings.of(command.taskThreads);
        if (goal.objective() == Objective.LATENCY) {
            settings = settings.withLatency(LATENCY_WARMUP_RUNS, LATENCY_RUNS);
        }
        int threads = command.threads() == null ? Runtime.getRuntime().availableProcessors() : command.threads();
        return new LocalSearchSpec(command.model, command.calibrationData, command.evaluationData,
                command.evaluationLabels, textOptions(), goal, strategy, budget, command.seed, threads, settings,
                command.sensitivityCache(), WarmStartFiles.read(command.warmStartFiles()));
    }

    private void requireInputs() {
        Inputs.requireReadableFile(command.spec, "MODEL", command.model);
        requireExists("--calibration-data", command.calibrationData);
        requireExists("--eval-data", command.evaluationData);
        if (command.evaluationLabels != null) {
            Inputs.requireReadableFile(command.spec, "--eval-labels", command.evaluationLabels);
        }
        if (command.tokenizer != null) {
            Inputs.requireReadableFile(command.spec, "--tokenizer", command.tokenizer);
        }
        if (command.maxLength != null) {
            if (command.tokenizer == null) {
                throw new InvalidInputException("--max-length " + command.maxLength + " needs --tokenizer: it limits "
                        + "the tokens of each text line");
            }
            Inputs.requireAtLeast(command.spec, "--max-length", command.maxLength, 1);
        }
        Inputs.requireAtLeast(command.spec, "--max-trials", command.maxTrials, 1);
        Inputs.requireAtLeast(command.spec, "--task-threads", command.taskThreads, 1);
        if (command.threads() != null) {
            Inputs.requireAtLeast(command.spec, "--threads", command.threads(), 1);
        }
        if (command.outputFolder() != null) {
            requireFolderCanBeCreated("--out", command.outputFolder());
            Inputs.requireWritableOutput(command.spec, "--out",
                    command.outputFolder().resolve(LocalSearchResult.MODEL_FILE), command.model,
                    command.calibrationData, command.evaluationData);
        }
        if (command.sensitivityCache() != null) {
            requireFolderCanBeCreated("--sensitivity-cache", command.sensitivityCache());
        }
    }

    /** Rejects a folder path that is a file or lies below a file, so that nothing fails after the search. */
    static void requireFolderCanBeCreated(String option, Path folder) {
        for (Path path = folder.toAbsolutePath(); path != null; path = path.getParent()) {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                String where = path.equals(folder.toAbsolutePath()) ? "is a file" : "lies below the file " + path;
                throw new InvalidInputException("Invalid value for " + option + ": '" + folder + "' " + where
                        + ", but it must be a folder; pass a folder path");
            }
        }
    }

    private static void requireExists(String option, Path path) {
        if (!path.toFile().exists()) {
            throw new InvalidInputException("Invalid value for " + option + ": '" + path + "' not found (working "
                    + "directory " + Path.of("").toAbsolutePath() + ")");
        }
    }

    /** Rejects a task metric whose labels or pairs are missing, before any work starts. */
    private void requireDataForMetric(String metric) {
        boolean needsLabels = TaskMetrics.find(metric).map(TaskMetric::needsClassLabels).orElse(false);
        if (needsLabels && command.evaluationLabels == null) {
            throw new InvalidInputException("--metric " + metric + " needs class labels: pass --eval-labels FILE with "
                    + "one integer label per evaluation sample (a .npy array or a text file, one per line)");
        }
        boolean textMetric = TextRecognitionMetrics.CER.equals(metric)
                || TextRecognitionMetrics.EXACT_MATCH.equals(metric);
        if (textMetric && TextPairs.isPairsFile(command.evaluationData)) {
            throw new InvalidInputException("--metric " + metric + " compares the text a recognizer reads from each "
                    + "image with a reference text, so it cannot score the query/document pairs of --eval-data '"
                    + command.evaluationData + "'; pass text line images (a .npy file, such as one from 'quantfleet "
                    + "models ocr-lines') as --eval-data, or use --metric recall@K or mrr for pairs");
        }
        if (textMetric && command.evaluationLabels == null) {
            throw new InvalidInputException("--metric " + metric + " needs the reference texts: pass --eval-labels FILE, "
                    + "a text labels file that starts with the line '" + TextLabels.MAGIC + "', then the recognizer's "
                    + "dictionary and one text per evaluation sample (README.md, section \"Searching the recognizer "
                    + "for its character error rate\", describes the format)");
        }
        boolean retrieval = metric.startsWith("recall@") || metric.equals("mrr");
        if (retrieval && !command.evaluationData.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(".tsv")) {
            throw new InvalidInputException("--metric " + metric + " ranks documents for queries, so --eval-data must "
                    + "be a .tsv file of query<TAB>document pairs (got '" + command.evaluationData + "'); write one "
                    + "with 'quantfleet models texts --pairs --out FILE.tsv'");
        }
        if (!retrieval && !needsLabels && !textMetric && command.evaluationLabels != null) {
            err.println("Note: --eval-labels is read only by --metric accuracy, auc, detection@0fa, cer and "
                    + "exact-match; --metric " + metric + " ignores it");
        }
    }

    private static MetricDirection direction(String metric) {
        try {
            return MetricDirections.of(metric);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Invalid value for --metric: " + e.getMessage(), e);
        }
    }

    private Objective objective() {
        try {
            return Objective.parse(command.objective);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Invalid value for --objective: " + e.getMessage(), e);
        }
    }

    private TextOptions textOptions() {
        if (command.tokenizer == null) {
            return null;
        }
        int maxLength = command.maxLength == null ? TextOptions.DEFAULT_MAX_LENGTH : command.maxLength;
        return new TextOptions(command.tokenizer, maxLength, false);
    }

    private void write(LocalSearchResult result) {
        try {
            result.write(command.outputFolder());
        } catch (IOException e) {
            throw new CommandFailedException("Writing the results to " + command.outputFolder() + " failed: " + e, e);
        }
    }
}
