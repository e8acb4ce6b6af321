package dev.quantfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quantfleet quantize}: searches for the quantization of a model that meets a quality
 * goal at the lowest cost, and writes the winner with its report. Exit code 0 only when an
 * acceptable candidate was found; 3 when the search ended without one (the best candidate is
 * still written and reported).
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Searches quantization configurations of an ONNX model on a local fleet (a coordinator and --workers "
                    + "worker processes; --in-process runs it all in this process): calibrates once, evaluates candidates "
                    + "against the float model on the evaluation data, finds the nodes that must stay in higher "
                    + "precision, and writes DIR/model.onnx, DIR/report.json and DIR/report.html.",
            "Exit codes: 0 an acceptable candidate was found, 3 none was (the best one is written), 2 invalid "
                    + "input, 1 failure.",
        })
final class QuantizeCommand extends SearchCommandOptions implements Callable<Integer> {

    /** Exit code of a search that ended without a candidate meeting the goal. */
    static final int NOTHING_ACCEPTABLE = 3;

    @Option(names = "--threads", paramLabel = "N",
            description = "With --in-process: candidates evaluated at the same time (default: number of processors).")
    Integer threadCount;

    @Option(names = "--sensitivity-cache", paramLabel = "DIR",
            description = "With --in-process: folder where per-node sensitivity results are kept by content hash, so that "
                    + "a later search on the same model and data reuses them (default: none).")
    Path sensitivityCacheFolder;

    @Option(names = "--warm-start", paramLabel = "FILE",
            description = "Quantization config (JSON), or report.json whose winner to evaluate in round 1 ahead "
                    + "of the strategy's candidates; it counts against --max-trials. Repeat for more configs.")
    List<Path> warmStart = List.of();

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for model.onnx, report.json and report.html; created when missing.")
    Path out;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Worker processes of the local fleet (default: ${DEFAULT-VALUE}); ignored with --in-process.")
    int workers;

    @Option(names = "--in-process",
            description = "Run the whole search in this process instead of on a local fleet of a coordinator and "
                    + "worker processes over an in-process Kafka broker and S3 server.")
    boolean inProcess;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (inProcess) {
            return new QuantizeRun(this, out, err).run();
        }
        return new FleetQuantizeRun(this, out, err).run();
    }

    @Override
    Path outputFolder() {
        return out;
    }

    @Override
    Integer threads() {
        return threadCount;
    }

    @Override
    List<Path> warmStartFiles() {
        return warmStart;
    }

    @Override
    Path sensitivityCache() {
        return sensitivityCacheFolder;
    }
}
