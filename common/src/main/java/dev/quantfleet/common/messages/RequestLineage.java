package dev.quantfleet.common.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The origin of a re-quantization request: the earlier request on the same model, whose winner the
 * new request carries as its warm start, and the model event that announced the new version.
 *
 * @param previousRequestId         id of the earlier request
 * @param previousModelVersion      model version that the earlier request quantized
 * @param previousWinnerCandidateId candidate id of the earlier winner
 * @param eventId                   deduplication id of the model event, see {@link ModelVersionPublished#eventId()}
 * @param eventSource               S3_EVENT when the object store announced the version, PRODUCER when a
 *                                  service or user published it
 * @param bucket                    bucket of the new object when a bucket notification started the
 *                                  request; null otherwise
 * @param objectKey                 key of the new object, URL-decoded, when a bucket notification started
 *                                  the request; null otherwise
 * @param objectVersionId           object version of a versioned bucket; null when the event has none
 * @param objectETag                entity tag of the new object, without quotes; null when the event has none
 */
public record RequestLineage(@JsonProperty(required = true) String previousRequestId,
                             @JsonProperty(required = true) String previousModelVersion,
                             @JsonProperty(required = true) String previousWinnerCandidateId,
                             @JsonProperty(required = true) String eventId,
                             @JsonProperty(required = true) ModelEventSource eventSource,
                             String bucket,
                             String objectKey,
                             String objectVersionId,
                             String objectETag) {

    public RequestLineage {
        WireIds.checkRequestId(previousRequestId);
        WireChecks.requiredText(previousModelVersion, "previousModelVersion");
        WireChecks.requiredText(previousWinnerCandidateId, "previousWinnerCandidateId");
        WireChecks.requiredText(eventId, "eventId");
        WireChecks.required(eventSource, "eventSource");
    }
}
