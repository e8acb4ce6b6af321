package dev.quantfleet.common.artifacts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reference to an object in the artifact store, small enough to travel in a Kafka message.
 *
 * @param key full object key inside the bucket, including the store's prefix, for example
 *     {@code quantfleet/sha256/9f86d0...} or {@code quantfleet/quantized/bert/3/req-17/model.onnx}
 * @param sha256 SHA-256 of the object's bytes, 64 lowercase hex digits
 * @param sizeBytes object size in bytes
 */
public record ArtifactRef(@JsonProperty(required = true) String key,
                          @JsonProperty(required = true) String sha256,
                          @JsonProperty(required = true) long sizeBytes) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ArtifactRef {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Invalid sha256 '" + sha256 + "': expected 64 lowercase hex digits");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("Invalid sizeBytes " + sizeBytes + " for key " + key + ": expected >= 0");
        }
        ArtifactKeys.requireValidKey(key, "key");
    }
}
