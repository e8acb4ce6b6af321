package dev.quantfleet.engine.search;

import dev.quantfleet.engine.evaluation.Evaluation;
import dev.quantfleet.engine.evaluation.EvaluationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Sensitivity probe results kept across searches, one JSON file per probe in a directory, named
 * {@code <key>.json}. The key is the SHA-256 over the model's SHA-256, the data's SHA-256, the
 * base candidate id, the metric, the mode and the probed nodes. A later search of the same
 * model and data with the same base therefore reuses the probe without spending a trial. Files are
 * written to a temporary name and moved into place, so a reader never sees half a file. An
 * unreadable file counts as absent, with a warning.
 */
public final class SensitivityCache {

    private static final Logger LOG = LoggerFactory.getLogger(SensitivityCache.class);

    private final Path directory;

    public SensitivityCache(Path directory) {
        this.directory = directory;
    }

    /**
     * One cached probe.
     *
     * @param key             see {@link #key}
     * @param modelSha256     the model's SHA-256
     * @param dataSha256      the data's SHA-256
     * @param baseCandidateId the candidate the probe derives from
     * @param metric          the goal's metric
     * @param mode            how the probe isolated the nodes
     * @param nodes           the probed nodes
     * @param evaluation      the probe's evaluation
     */
    public record Entry(String key, String modelSha256, String dataSha256, String baseCandidateId, String metric,
                        SensitivityMode mode, List<String> nodes, Evaluation evaluation) {
    }

    /** Returns the key of a probe. */
    public static String key(SearchInputs inputs, String baseCandidateId, String metric, SensitivityMode mode,
                             List<String> nodes) {
        return SearchIds.sha256Hex(String.join("\n", inputs.modelSha256(), inputs.dataSha256(), baseCandidateId,
                metric, mode.name(), String.join("\n", nodes)));
    }

    /** Returns the cached evaluation of {@code key}, if any. */
    public Optional<Evaluation> find(String key) {
        Path file = directory.resolve(key + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Entry entry = SearchJson.read(Files.readString(file, StandardCharsets.UTF_8), Entry.class);
            return Optional.of(entry.evaluation());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable sensitivity cache file {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stores the probe {@code result} of {@code request}, keyed by {@link #key}; does nothing
     * unless it is an OK SENSITIVITY result, because a failed probe may succeed next time.
     */
    public void storeProbe(SearchRequest request, CandidateResult result) {
        if (result.kind() != TaskKind.SENSITIVITY || result.evaluation().status() != EvaluationStatus.OK) {
            return;
        }
        String metric = request.goal().metric();
        String key = key(request.inputs(), result.baseCandidateId(), metric, result.sensitivityMode(), result.nodes());
        store(new Entry(key, request.inputs().modelSha256(), request.inputs().dataSha256(), result.baseCandidateId(),
                metric, result.sensitivityMode(), result.nodes(), result.evaluation()));
    }

    /** Stores {@code entry} under its key, replacing an earlier one. */
    public void store(Entry entry) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, entry.key(), ".tmp");
            Files.writeString(temporary, SearchJson.write(entry), StandardCharsets.UTF_8);
            Files.move(temporary, directory.resolve(entry.key() + ".json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing sensitivity cache entry " + entry.key() + " to " + directory
                    + " failed", e);
        }
    }
}
