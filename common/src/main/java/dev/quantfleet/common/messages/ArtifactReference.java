package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A content-addressed file in the artifact store: where it is and what its bytes hash to. A
 * reader verifies the SHA-256 of what it downloads, so a reference never silently points at
 * changed content.
 *
 * <p>NOTE: stands in for {@code dev.quantfleet.common.artifacts.ArtifactRef}, which has the same
 * components; switch the messages to that type once it is on main.
 *
 * @param key       object key in the artifact bucket, e.g. {@code sha256/ab/abcd...}
 * @param sha256    SHA-256 of the content, 64 lower-case hex digits
 * @param sizeBytes content length in bytes, 0 or more
 */
public record ArtifactReference(@JsonProperty(required = true) String key,
                                @JsonProperty(required = true) String sha256,
                                @JsonProperty(required = true) long sizeBytes) {

    public ArtifactReference {
        WireChecks.requiredText(key, "key");
        WireChecks.sha256(sha256, "sha256");
        WireChecks.atLeast(sizeBytes, 0, "sizeBytes");
    }
}
