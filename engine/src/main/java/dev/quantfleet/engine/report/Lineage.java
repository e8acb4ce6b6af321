package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/**
 * The origin of a re-quantization search: the earlier search on the same model, whose winner this
 * search evaluated as a warm start, and the model event that announced the new model version.
 *
 * @param previousRequestId         request id of the earlier search
 * @param previousModelVersion      model version that the earlier search quantized
 * @param previousWinnerCandidateId candidate id of the earlier winner
 * @param eventId                   deduplication id of the model event
 * @param eventSource               {@code S3_EVENT} when the object store announced the version,
 *                                  {@code PRODUCER} when a service or user published it
 * @param bucket                    bucket of the new object when a bucket notification started the
 *                                  search; null otherwise
 * @param objectKey                 key of the new object, URL-decoded, when a bucket notification started
 *                                  the search; null otherwise
 * @param objectVersionId           object version of a versioned bucket; null when the event has none
 * @param objectETag                entity tag of the new object without quotes; null when the event has none
 */
@JsonPropertyOrder({"previousRequestId", "previousModelVersion", "previousWinnerCandidateId", "eventId",
    "eventSource", "bucket", "objectKey", "objectVersionId", "objectETag"})
public record Lineage(String previousRequestId, String previousModelVersion, String previousWinnerCandidateId,
                      String eventId, String eventSource, String bucket, String objectKey, String objectVersionId,
                      String objectETag) {

    public Lineage {
        Objects.requireNonNull(previousRequestId, "previousRequestId");
        Objects.requireNonNull(previousModelVersion, "previousModelVersion");
        Objects.requireNonNull(previousWinnerCandidateId, "previousWinnerCandidateId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventSource, "eventSource");
    }
}
