package dev.quantfleet.coordinator.promotion;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.coordinator.mapping.LineageMapping;
import dev.quantfleet.engine.report.ReportHtml;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.report.SearchReports;
import dev.quantfleet.engine.runtime.Provenance;
import dev.quantfleet.engine.search.SearchOutcome;
import dev.quantfleet.engine.search.SearchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stores the result of a finished search under {@code quantized/<model>/<version>/<request id>/}:
 * {@code model.onnx} is a copy of the winner's quantized model (read back from the object the
 * worker uploaded, so the bytes are the worker's), and {@code report.json} and {@code report.html}
 * are the engine's report of the search, with the request's lineage when a model event started it.
 */
public final class WinnerPromotion {

    public static final String MODEL_FILE = "model.onnx";
    public static final String REPORT_JSON_FILE = "report.json";
    public static final String REPORT_HTML_FILE = "report.html";

    private static final Logger LOG = LoggerFactory.getLogger(WinnerPromotion.class);

    private final ArtifactStore store;

    public WinnerPromotion(ArtifactStore store) {
        this.store = store;
    }

    /** Returns the folder of a request's promoted files, relative to the store's prefix. */
    public static String folderOf(QuantizationRequest request) {
        return "quantized/" + request.model().name() + "/" + request.model().version() + "/" + request.requestId();
    }

    /**
     * Copies the winner's model and writes the report.
     *
     * @param winnerModel the quantized model the winner's worker uploaded; null when there is none
     * @param provenance  the software and machine that evaluated the winner (or the float model)
     * @param threads     tasks that ran at the same time, for the report's summary
     * @param opTypes     op type by node name, for the report's sensitivity list
     */
    public PromotedArtifacts promote(QuantizationRequest wire, SearchRequest request, SearchOutcome outcome,
                                     ArtifactRef winnerModel, Provenance provenance, int threads,
                                     Map<String, String> opTypes) {
        String folder = folderOf(wire);
        ArtifactRef model = null;
        if (winnerModel != null) {
            model = store.putNamed(folder + "/" + MODEL_FILE, store.readBytes(winnerModel));
        }
        SearchReport report;
        try {
            report = SearchReports.from(request, outcome, provenance, threads, opTypes)
                    .withLineage(LineageMapping.toReport(wire.lineage()));
        } catch (RuntimeException e) {
            LOG.warn("Search {}: the report cannot be built (stop reason {}); the outcome goes out without one",
                    request.requestId(), outcome.stopReason(), e);
            return new PromotedArtifacts(model, null, null);
        }
        ArtifactRef json = store.putNamed(folder + "/" + REPORT_JSON_FILE,
                report.toJson().getBytes(StandardCharsets.UTF_8));
        ArtifactRef html = store.putNamed(folder + "/" + REPORT_HTML_FILE,
                ReportHtml.render(report).getBytes(StandardCharsets.UTF_8));
        return new PromotedArtifacts(model, json, html);
    }
}
