package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.messages.ModelEventSource;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.ModelVersionPublished;
import dev.quantfleet.common.messages.S3ObjectEvent;

import java.util.Objects;

/**
 * A new model version, from either form that {@code quantfleet.model-events} carries.
 *
 * @param eventId         deduplication id: {@link ModelVersionPublished#eventId()} or {@link S3ObjectEvent#eventId()}
 * @param source          S3_EVENT or PRODUCER
 * @param modelName       the model name
 * @param modelVersion    the model version
 * @param model           the files of the version; null for a bucket notification until the object is imported
 * @param bucket          bucket of the new object; null unless S3_EVENT
 * @param objectKey       key of the new object, URL-decoded; null unless S3_EVENT
 * @param objectVersionId object version of a versioned bucket; null when absent
 * @param objectETag      entity tag without quotes; null when absent
 */
public record ModelEvent(String eventId, ModelEventSource source, String modelName, String modelVersion,
                         ModelReference model, String bucket, String objectKey, String objectVersionId,
                         String objectETag) {

    public ModelEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
    }

    /** Returns the event of a published model version record. */
    public static ModelEvent of(ModelVersionPublished published) {
        ModelReference model = published.model();
        return new ModelEvent(published.eventId(), published.source(), model.name(), model.version(), model,
                null, null, null, null);
    }

    /** Returns the event of a bucket notification record whose key names {@code modelKey}. */
    public static ModelEvent of(S3ObjectEvent object, S3ObjectEvent.ModelObjectKey modelKey) {
        return new ModelEvent(object.eventId(), ModelEventSource.S3_EVENT, modelKey.modelName(), modelKey.version(),
                null, object.bucket(), object.key(), object.versionId(), object.eTag());
    }

    /** Returns this event with the files of the imported object. */
    public ModelEvent withModel(ModelReference imported) {
        return new ModelEvent(eventId, source, modelName, modelVersion, imported, bucket, objectKey, objectVersionId,
                objectETag);
    }

    /** Returns a short description for logs: model, version and event id. */
    public String describe() {
        return "model " + modelName + " version " + modelVersion + " (event " + eventId + ")";
    }
}
