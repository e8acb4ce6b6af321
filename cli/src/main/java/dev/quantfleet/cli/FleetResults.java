package dev.quantfleet.cli;

import dev.quantfleet.cli.fleet.FleetException;
import dev.quantfleet.cli.fleet.FleetStatus;
import dev.quantfleet.cli.fleet.RequestUploader;
import dev.quantfleet.cli.fleet.ResultDownloader;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.engine.report.SearchReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Turns the end of a fleet request into files, a summary and an exit code. */
final class FleetResults {

    private FleetResults() {
    }

    /**
     * Downloads model.onnx, report.json and report.html of a finished request into {@code folder},
     * prints the summary of {@code quantize} and returns its exit code.
     *
     * @throws InvalidInputException when the request was REJECTED, listing the coordinator's reasons
     * @throws CommandFailedException when it has no report or a download fails
     */
    static int writeAndSummarize(FleetStatus status, ArtifactStore store, Path folder, PrintWriter out) {
        requireNotRejected(status);
        if (status.report() == null) {
            throw new CommandFailedException("Request " + status.requestId() + " is " + status.state()
                    + " but has no report.json; see the coordinator's log for why the report could not be built");
        }
        ResultDownloader.Downloaded files;
        try {
            files = new ResultDownloader(store).download(status.report(), folder);
        } catch (FleetException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        SearchReport report;
        try {
            report = SearchReport.fromJson(Files.readString(files.reportJson(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new CommandFailedException("Cannot read the downloaded report " + files.reportJson() + ": " + e, e);
        }
        new QuantizeSummary(out).print(report, files.model() != null, folder);
        return report.acceptable() ? 0 : QuantizeCommand.NOTHING_ACCEPTABLE;
    }

    /** @throws InvalidInputException listing the reasons when {@code status} is REJECTED */
    static void requireNotRejected(FleetStatus status) {
        if (status.rejected()) {
            throw rejection(status.requestId(), status.rejectionReasons());
        }
    }

    /**
     * Rejects a model file that is not ONNX before any fleet work starts, as the in-process mode does.
     *
     * @throws InvalidInputException naming the file and the parse error
     */
    static void requireOnnxModel(Path model) {
        try {
            RequestUploader.externalDataLocations(model);
        } catch (IOException e) {
            throw new InvalidInputException("Invalid value for MODEL: '" + model + "' cannot be read as an ONNX model: "
                    + e.getMessage() + "; pass an .onnx file", e);
        }
    }

    /** Rejects a folder of samples: a request carries one file per data set. */
    static void requireSingleFile(String option, Path data) {
        if (Files.isDirectory(data)) {
            throw new InvalidInputException("Invalid value for " + option + ": '" + data + "' is a folder, but a fleet "
                    + "search uploads one file per data set; pack the samples into one .npz file, or run "
                    + "'quantize --in-process'");
        }
    }

    static InvalidInputException rejection(String requestId, List<String> reasons) {
        return new InvalidInputException("The coordinator rejected request " + requestId + ":\n  - "
                + String.join("\n  - ", reasons));
    }
}
