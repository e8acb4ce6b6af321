package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A new version of a model, sent on {@code quantfleet.model-events} with the model name as key.
 * Consumers re-run the searches configured for the model against the new version.
 *
 * @param schemaVersion {@link WireMessage#CURRENT_SCHEMA_VERSION} when written by this code
 * @param model         name, version and files of the new version
 * @param source        S3_EVENT or PRODUCER
 * @param eventId       id for deduplication: a consumer acts once per event id. For S3 events
 *                      {@link S3ObjectEvent#eventId()}; producers choose their own, stable across retries
 * @param publishedAtMs when the version was published, in epoch milliseconds; null if unknown
 */
public record ModelVersionPublished(@JsonProperty(required = true) int schemaVersion,
                                    @JsonProperty(required = true) ModelReference model,
                                    @JsonProperty(required = true) ModelEventSource source,
                                    @JsonProperty(required = true) String eventId,
                                    Long publishedAtMs) implements WireMessage {

    public ModelVersionPublished {
        WireChecks.checkSchemaVersion(schemaVersion, "ModelVersionPublished");
        WireChecks.required(model, "model");
        WireChecks.required(source, "source");
        WireChecks.requiredText(eventId, "eventId");
    }

    /** Returns the Kafka key of this event, the model name. */
    public String key() {
        return model.name();
    }
}
