package dev.quantfleet.coordinator.search;

import dev.quantfleet.common.artifacts.ArtifactRef;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An object in the fleet's artifact store, with the bucket that an S3 client needs to fetch it.
 *
 * @param bucket    the S3 bucket
 * @param key       the full object key, store prefix included
 * @param sha256    SHA-256 of the object's bytes, 64 lowercase hex digits
 * @param sizeBytes the object's size in bytes
 */
@Schema(description = "An object in the fleet's S3 artifact store.")
public record StoredArtifact(
        @Schema(description = "S3 bucket of the object.", examples = "quantfleet") String bucket,
        @Schema(description = "Full object key, store prefix included.",
                examples = "quantfleet/quantized/bert/3/req-17/model.onnx") String key,
        @Schema(description = "SHA-256 of the object's bytes, 64 lowercase hex digits.") String sha256,
        @Schema(description = "Size of the object in bytes.") long sizeBytes) {

    /** Returns {@code ref} in {@code bucket}, or null when {@code ref} is null. */
    public static StoredArtifact of(String bucket, ArtifactRef ref) {
        return ref == null ? null : new StoredArtifact(bucket, ref.key(), ref.sha256(), ref.sizeBytes());
    }
}
