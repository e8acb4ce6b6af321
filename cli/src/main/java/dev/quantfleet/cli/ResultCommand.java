package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetStatus;
import dev.quantfleet.common.artifacts.ArtifactStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code quantfleet result ID --out DIR}: downloads a finished fleet request's model and reports. */
@Command(
        name = "result",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Downloads DIR/model.onnx, DIR/report.json and DIR/report.html of a finished request from a running "
                    + "fleet's artifact store and prints the summary that 'quantize' prints.",
            "Exit codes: 0 the winner meets the goal, 3 it does not, 2 the request was rejected, 1 failure (also "
                    + "when the request has not finished yet).",
        })
final class ResultCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Request id that 'quantfleet submit' printed.")
    String requestId;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for model.onnx, report.json and report.html; created when missing.")
    Path out;

    @Mixin
    FleetConnectionOptions connection;

    @Mixin
    S3Options s3;

    @Override
    public Integer call() {
        QuantizeRun.requireFolderCanBeCreated("--out", out);
        FleetStatus status;
        try {
            status = connection.client(EnvironmentVariables.current()).status(requestId.trim());
        } catch (FleetException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        FleetResults.requireNotRejected(status);
        if (!status.finished()) {
            throw new CommandFailedException("Request " + status.requestId() + " is " + status.state()
                    + " and has no result yet; wait for it with 'quantfleet watch " + status.requestId() + "'");
        }
        try (ArtifactStore store = s3.open(EnvironmentVariables.current())) {
            return FleetResults.writeAndSummarize(status, store, out, spec.commandLine().getOut());
        }
    }
}
