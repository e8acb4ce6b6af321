package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.messages.ModelVersionPublished;
import dev.quantfleet.common.messages.S3EventNotification;
import dev.quantfleet.common.messages.S3ObjectEvent;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the value of a {@code quantfleet.model-events} record: an S3 or MinIO bucket notification
 * (a JSON object with a {@code Records} array) or a {@link ModelVersionPublished}.
 *
 * <p>A notification record starts a search only when it created an object in the configured
 * bucket whose key is {@code <models prefix><name>/<version>/<file>.onnx}. Deletions, other
 * buckets, other keys and other files of a model folder (such as external data) are returned as
 * ignored, each with its reason.
 */
public final class ModelEventReader {

    /** File name extension of the model file in a model folder. */
    public static final String ONNX_EXTENSION = ".onnx";

    private final ModelEventConfig config;

    public ModelEventReader(ModelEventConfig config) {
        this.config = config;
    }

    /**
     * The model events of one record, and why its other notification records start nothing.
     *
     * @param events  the new model versions, in record order
     * @param ignored one reason per notification record that is no new model version
     */
    public record Read(List<ModelEvent> events, List<String> ignored) {

        public Read {
            events = List.copyOf(events);
            ignored = List.copyOf(ignored);
        }
    }

    /**
     * Reads one record value.
     *
     * @throws WireFormatException if the value is neither a valid notification nor a valid ModelVersionPublished
     */
    public Read read(byte[] payload) {
        if (!S3EventNotification.isNotification(payload)) {
            ModelVersionPublished published = WireJson.fromBytes(payload, ModelVersionPublished.class);
            return new Read(List.of(ModelEvent.of(published)), List.of());
        }
        List<ModelEvent> events = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (S3ObjectEvent object : S3EventNotification.parse(payload)) {
            Optional<String> reason = reasonToIgnore(object);
            if (reason.isPresent()) {
                ignored.add(reason.get());
            } else {
                events.add(ModelEvent.of(object, object.modelObjectKey(config.modelsPrefix()).orElseThrow()));
            }
        }
        return new Read(events, ignored);
    }

    private Optional<String> reasonToIgnore(S3ObjectEvent object) {
        String where = "s3://" + object.bucket() + "/" + object.key();
        if (!object.objectCreated()) {
            return Optional.of(object.eventName() + " of " + where + " creates no object");
        }
        if (!object.bucket().equals(config.bucket())) {
            return Optional.of(where + " is not in bucket " + config.bucket());
        }
        Optional<S3ObjectEvent.ModelObjectKey> modelKey = object.modelObjectKey(config.modelsPrefix());
        if (modelKey.isEmpty()) {
            return Optional.of(where + " is not a model file " + config.modelsPrefix() + "<name>/<version>/<file>");
        }
        if (!modelKey.get().fileName().endsWith(ONNX_EXTENSION)) {
            return Optional.of(where + " is not the " + ONNX_EXTENSION + " file of its model version");
        }
        return Optional.empty();
    }
}
