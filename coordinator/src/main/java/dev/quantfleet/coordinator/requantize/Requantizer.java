package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactIntegrityException;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Decides what a model event starts, and sends the request when it starts one.
 *
 * <pre>
 *   event ─ a request has its event id? ─ yes ─ skip (repeated event)
 *     └ no ─ last COMPLETED search of the model with a winner? ─ none ─ skip (no goal to reuse)
 *        └ found ─ import the object (bucket notifications only) ─ gone ─ skip
 *           └ same SHA-256 as that search's model? ─ yes ─ skip (nothing new)
 *              └ no ─ send the request: earlier goal, data, budget, strategy and seed,
 *                     new model, earlier winner as warm start, lineage
 * </pre>
 *
 * <p>The coordinator never guesses a goal, so a model without a finished search is skipped with a
 * warning that names the reason. Not thread-safe: one thread calls {@link #handle}.
 */
public final class Requantizer {

    private static final Logger LOG = LoggerFactory.getLogger(Requantizer.class);

    private final RequestHistory history;
    private final ModelImporter importer;
    private final Consumer<QuantizationRequest> sender;
    private final LongSupplier clockMs;

    /**
     * @param sender  sends a request to {@code quantfleet.requests}, returning once it is stored
     * @param clockMs wall clock in epoch milliseconds, {@code System::currentTimeMillis} outside tests
     */
    public Requantizer(RequestHistory history, ModelImporter importer, Consumer<QuantizationRequest> sender,
                       LongSupplier clockMs) {
        this.history = history;
        this.importer = importer;
        this.sender = sender;
        this.clockMs = clockMs;
    }

    /**
     * The result of one model event: the request it started, or the reason it started none.
     *
     * @param requestId the request sent; null when the event was skipped
     * @param reason    why the event was skipped; null when a request was sent
     */
    public record Result(String requestId, String reason) {

        static Result sent(String requestId) {
            return new Result(requestId, null);
        }

        static Result skipped(String reason) {
            return new Result(null, reason);
        }

        /** Returns whether a request was sent. */
        public boolean isSent() {
            return requestId != null;
        }
    }

    /**
     * Handles one model event.
     *
     * @throws dev.quantfleet.common.artifacts.ArtifactStoreException if the object cannot be imported;
     *     the event may succeed when handled again
     * @throws RuntimeException of the sender when the request cannot be sent
     */
    public Result handle(ModelEvent event) {
        Optional<String> earlier = history.requestOfEvent(event.eventId());
        if (earlier.isPresent()) {
            return skip(event, "it already started request " + earlier.get(), false);
        }

        Optional<RequestHistory.FinishedSearch> previous = history.lastFinishedSearch(event.modelName());
        if (previous.isEmpty()) {
            return skip(event, noPreviousSearchReason(event.modelName()), true);
        }

        Optional<ModelEvent> imported;
        try {
            imported = withModel(event);
        } catch (ArtifactIntegrityException e) {
            return skip(event, e.getMessage() + "; the notification of the new object starts its own search", false);
        } catch (IllegalArgumentException e) {
            return skip(event, "the object cannot be imported: " + e.getMessage(), true);
        }
        if (imported.isEmpty()) {
            return skip(event, "the object s3://" + event.bucket() + "/" + event.objectKey() + " no longer exists", true);
        }
        ModelReference model = imported.get().model();
        QuantizationRequest earlierRequest = previous.get().request();
        if (model.onnx().sha256().equals(earlierRequest.model().onnx().sha256())) {
            return skip(event, "its .onnx file has SHA-256 " + model.onnx().sha256() + ", the same as the model of"
                    + " request " + earlierRequest.requestId() + ", so a search would repeat that one", false);
        }

        long nowMs = clockMs.getAsLong();
        QuantizationRequest request = RequantizationRequests.of(previous.get(), imported.get(), nowMs);
        sender.accept(request);
        history.addRequest(request, nowMs);
        LOG.info("Sent request {} for {}: re-runs request {} (version {}) with its winner {} as warm start",
                request.requestId(), event.describe(), earlierRequest.requestId(), earlierRequest.model().version(),
                previous.get().winner().candidateId());
        return Result.sent(request.requestId());
    }

    private Optional<ModelEvent> withModel(ModelEvent event) {
        if (event.model() != null) {
            return Optional.of(event);
        }
        return importer.importModel(event).map(event::withModel);
    }

    private String noPreviousSearchReason(String modelName) {
        long requests = history.requestCount(modelName);
        if (requests == 0) {
            return "model " + modelName + " has no earlier request, so its goal, data and budget are unknown;"
                    + " submit one request for the model, and later versions are re-quantized with its settings";
        }
        return "none of the " + requests + " earlier requests of model " + modelName + " completed with a winner"
                + " (each was rejected, is still running, or had no candidate evaluated OK), so there is no"
                + " configuration to start from; submit a request for the new version";
    }

    private static Result skip(ModelEvent event, String reason, boolean warn) {
        if (warn) {
            LOG.warn("Skipped {}: {}", event.describe(), reason);
        } else {
            LOG.info("Skipped {}: {}", event.describe(), reason);
        }
        return Result.skipped(reason);
    }
}
