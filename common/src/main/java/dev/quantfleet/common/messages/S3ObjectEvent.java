package dev.quantfleet.common.messages;

import java.util.Optional;

/**
 * One record of an S3 or MinIO bucket notification: what happened to which object.
 *
 * @param eventName  the event without the {@code s3:} prefix, e.g. {@code ObjectCreated:Put}
 * @param bucket     the bucket name
 * @param key        the object key, URL-decoded, e.g. {@code models/minilm/3/model.onnx}
 * @param sizeBytes  the object size; null for events without one, such as deletions
 * @param eTag       the entity tag, without quotes; null when absent
 * @param versionId  the object version of a versioned bucket; null when absent
 */
public record S3ObjectEvent(String eventName, String bucket, String key, Long sizeBytes, String eTag,
                            String versionId) {

    /** Object key prefix under which model versions are stored: {@code models/<name>/<version>/<file>}. */
    public static final String MODELS_PREFIX = "models/";

    public S3ObjectEvent {
        WireChecks.requiredText(eventName, "eventName");
        WireChecks.requiredText(bucket, "bucket");
        WireChecks.requiredText(key, "key");
    }

    /** Returns whether the event created or overwrote the object. */
    public boolean objectCreated() {
        return eventName.startsWith("ObjectCreated:");
    }

    /**
     * Returns an id that is equal for redeliveries of this event and different for a later write
     * of the same key: bucket, key and the version id, or the entity tag where the bucket has no
     * versioning.
     */
    public String eventId() {
        String version = versionId != null ? versionId : eTag != null ? "etag:" + eTag : "unversioned";
        return bucket + "/" + key + "#" + version;
    }

    /**
     * Returns the model name, version and file name when the key has the form
     * {@code models/<name>/<version>/<file>}; empty for any other key.
     */
    public Optional<ModelObjectKey> modelObjectKey() {
        return modelObjectKey(MODELS_PREFIX);
    }

    /**
     * Returns the model name, version and file name when the key has the form
     * {@code <modelsPrefix><name>/<version>/<file>}; empty for any other key.
     *
     * @param modelsPrefix the key prefix of the model folders, ending with {@code /}, e.g. {@code models/}
     */
    public Optional<ModelObjectKey> modelObjectKey(String modelsPrefix) {
        if (!key.startsWith(modelsPrefix)) {
            return Optional.empty();
        }
        String[] parts = key.substring(modelsPrefix.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ModelObjectKey(parts[0], parts[1], parts[2]));
    }

    /**
     * The parts of a model object key {@code models/<name>/<version>/<file>}.
     *
     * @param modelName the model name
     * @param version   the model version
     * @param fileName  the file, e.g. {@code model.onnx} or an external data file
     */
    public record ModelObjectKey(String modelName, String version, String fileName) {
    }
}
