package dev.quantfleet.engine.job;

import dev.quantfleet.engine.evaluation.QuantizedCandidate;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.report.ReportHtml;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.SearchRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A finished local search: the request as run, the outcome, the winner's quantized model (null
 * when no candidate was evaluated OK) and the report.
 */
public record LocalSearchResult(SearchRequest request, SearchOutcome outcome, QuantizedCandidate winner,
                                SearchReport report) {

    public static final String MODEL_FILE = "model.onnx";
    public static final String REPORT_JSON_FILE = "report.json";
    public static final String REPORT_HTML_FILE = "report.html";

    /** Returns whether the winner meets the goal. */
    public boolean acceptable() {
        return outcome.acceptable();
    }

    /**
     * Writes {@value #MODEL_FILE} (when there is a winner), {@value #REPORT_JSON_FILE} and
     * {@value #REPORT_HTML_FILE} into {@code directory}, creating it when missing.
     */
    public void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (winner != null && winner.modelBytes() != null) {
            ModelIo.save(ModelProto.parseFrom(winner.modelBytes()), directory.resolve(MODEL_FILE));
        }
        Files.writeString(directory.resolve(REPORT_JSON_FILE), report.toJson(), StandardCharsets.UTF_8);
        ReportHtml.write(report, directory.resolve(REPORT_HTML_FILE));
    }
}
