package dev.quantfleet.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;

/**
 * The options that describe a search, shared by {@code quantize} (which runs it) and
 * {@code submit} (which sends it to a running fleet). {@link QuantizeRun#spec()} checks them.
 */
abstract class SearchCommandOptions {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file to quantize.")
    Path model;

    @Option(names = "--calibration-data", required = true, paramLabel = "DATA",
            description = "Calibration samples: a text file with one text per line (needs --tokenizer), or tensor "
                    + "data (.npy, .npz, and with 'quantize --in-process' also a folder of .npy files or an ONNX test-data "
                    + "folder).")
    Path calibrationData;

    @Option(names = "--eval-data", required = true, paramLabel = "DATA",
            description = "Evaluation samples in the same forms as --calibration-data, or a .tsv file of "
                    + "query<TAB>document pairs for the retrieval metrics (recall@K, mrr).")
    Path evaluationData;

    @Option(names = "--eval-labels", paramLabel = "FILE",
            description = "Labels of the evaluation samples. For --metric accuracy, auc and detection@0fa, class "
                    + "labels: a .npy array of integers or a text file with one integer per line. For --metric cer or "
                    + "exact-match, reference "
                    + "texts of a CTC text recognizer: a text file whose first line is '#quantfleet-text-labels 1', "
                    + "then '#characters N' and the dictionary (one character per line), then '#texts M' and one text "
                    + "per sample.")
    Path evaluationLabels;

    @Option(names = "--tokenizer", paramLabel = "tokenizer.json",
            description = "Hugging Face tokenizer.json for text data.")
    Path tokenizer;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Maximum tokens per text; longer texts are truncated (default: 128, needs --tokenizer).")
    Integer maxLength;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "cosine",
            description = "Metric the goal constrains: a fidelity metric against the float model (cosine, mse, sqnr, "
                    + "top1, kl) or a task metric (accuracy, recall@K, mrr, cer, exact-match; auc and detection@0fa "
                    + "for a detection score with 0/1 labels) (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--max-drop", paramLabel = "VALUE[%]", defaultValue = "1%",
            description = "Largest acceptable drop of the metric against the float model: absolute in the metric's "
                    + "units (0.005), or relative to the float model's value with a %% sign (1%%) "
                    + "(default: ${DEFAULT-VALUE}).")
    String maxDrop;

    @Option(names = "--objective", paramLabel = "COST", defaultValue = "size",
            description = "Cost minimised among acceptable candidates: size (model bytes), latency (measured median, "
                    + "needs repeated runs of each candidate) or compute (share of multiply-accumulates left in "
                    + "float) (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "auto",
            description = "Search strategy: auto, presets, grid, random or tpe (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "24",
            description = "Most candidate evaluations and sensitivity probes (default: ${DEFAULT-VALUE}).")
    int maxTrials;

    @Option(names = "--deadline", paramLabel = "DURATION",
            description = "Wall-clock limit of the whole search, such as 90s, 10m, 1h or PT10M; no task starts after it.")
    String deadline;

    @Option(names = "--stop-at-first-acceptable",
            description = "End the search after the first round that found an acceptable candidate.")
    boolean stopAtFirstAcceptable;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of every random choice; the same inputs and seed give the same winner "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--task-threads", paramLabel = "N", defaultValue = "1",
            description = "ONNX Runtime threads inside each candidate's evaluation; fixed so that results do not "
                    + "depend on --threads (default: ${DEFAULT-VALUE}).")
    int taskThreads;

    /** Returns the folder the command writes model.onnx and the reports to; null when it writes none. */
    Path outputFolder() {
        return null;
    }

    /** Returns the candidates evaluated at the same time in this process; null for the default. */
    Integer threads() {
        return null;
    }

    /** Returns the files of the warm-start configurations, see {@link WarmStartFiles}; empty for none. */
    List<Path> warmStartFiles() {
        return List.of();
    }

    /** Returns the folder of cached sensitivity results; null for none. */
    Path sensitivityCache() {
        return null;
    }
}
