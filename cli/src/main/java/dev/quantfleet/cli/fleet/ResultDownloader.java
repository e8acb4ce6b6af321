package dev.quantfleet.cli.fleet;

import dev.quantfleet.common.artifacts.ArtifactIntegrityException;
import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Downloads the promoted files of a COMPLETED request: {@code report.json}, and the
 * {@code model.onnx} and {@code report.html} that the coordinator stores beside it.
 */
public final class ResultDownloader {

    public static final String MODEL_FILE = "model.onnx";
    public static final String REPORT_JSON_FILE = "report.json";
    public static final String REPORT_HTML_FILE = "report.html";

    private final ArtifactStore store;

    public ResultDownloader(ArtifactStore store) {
        this.store = store;
    }

    /**
     * The downloaded files.
     *
     * @param reportJson the report.json
     * @param model      the winner's model.onnx; null when the search has no winner model
     */
    public record Downloaded(Path reportJson, Path model) {
    }

    /**
     * Downloads into {@code directory}, creating it when missing. Every download is verified
     * against the SHA-256 the store recorded.
     *
     * @param report the report.json reference of the request's status
     * @throws FleetException when a download fails or the folder cannot be created
     */
    public Downloaded download(ArtifactRef report, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new FleetException("Cannot create the folder " + directory + " for the results: " + e, e);
        }
        String folderKey = report.key().substring(0, report.key().lastIndexOf('/') + 1);
        Path reportJson = fetch(report, directory.resolve(REPORT_JSON_FILE));
        sibling(folderKey + REPORT_HTML_FILE).ifPresent(html -> fetch(html, directory.resolve(REPORT_HTML_FILE)));
        Path model = sibling(folderKey + MODEL_FILE).map(ref -> fetch(ref, directory.resolve(MODEL_FILE)))
                .orElse(null);
        return new Downloaded(reportJson, model);
    }

    private Optional<ArtifactRef> sibling(String key) {
        try {
            return store.find(key);
        } catch (ArtifactStoreException e) {
            throw new FleetException("Looking up " + key + " in the artifact store failed: " + e.getMessage(), e);
        }
    }

    private Path fetch(ArtifactRef ref, Path target) {
        try {
            store.download(ref, target);
            return target;
        } catch (ArtifactStoreException | ArtifactIntegrityException e) {
            throw new FleetException("Downloading " + ref.key() + " to " + target + " failed: " + e.getMessage(), e);
        }
    }
}
