package dev.quantfleet.common.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bucket notification JSON that S3 and MinIO send, as in this MinIO example:
 * <pre>
 * {"EventName": "s3:ObjectCreated:Put", "Key": "bucket/models/x/1/model.onnx",
 *  "Records": [{"eventName": "s3:ObjectCreated:Put",
 *               "s3": {"bucket": {"name": "bucket"},
 *                      "object": {"key": "models/x/1/model.onnx", "size": 1024,
 *                                 "eTag": "9b2cf5...", "versionId": "3f1e..."}}}]}
 * </pre>
 * Only {@code Records[].eventName} and {@code Records[].s3.bucket.name} and
 * {@code .object.key/size/eTag/versionId} are read; a record without its own event name takes
 * the top-level {@code EventName} (MinIO). Object keys arrive URL-encoded (a space as {@code +})
 * and are decoded. Every other field is ignored.
 */
public final class S3EventNotification {

    private static final String TYPE = "S3EventNotification";
    private static final String S3_PREFIX = "s3:";

    private S3EventNotification() {
    }

    /** Returns whether {@code payload} is a JSON object with a {@code Records} array, as a notification is. */
    public static boolean isNotification(byte[] payload) {
        try {
            JsonNode root = WireJson.readTree(payload);
            return root.isObject() && root.path("Records").isArray();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * Returns the records of {@code payload} in order.
     *
     * @throws WireFormatException when the payload is not JSON, has no {@code Records} array, or
     *                             a record lacks its event name, bucket name or object key
     */
    public static List<S3ObjectEvent> parse(byte[] payload) {
        JsonNode root;
        try {
            root = WireJson.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new WireFormatException(TYPE, WireJsonErrors.describe(e), e);
        }
        JsonNode records = root.path("Records");
        if (!records.isArray()) {
            throw new WireFormatException(TYPE, "Records is missing or not an array", null);
        }
        String topLevelEventName = textOrNull(root.path("EventName"));
        List<S3ObjectEvent> events = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                events.add(readRecord(records.get(i), topLevelEventName));
            } catch (IllegalArgumentException e) {
                throw new WireFormatException(TYPE, "Records[" + i + "]: " + e.getMessage(), e);
            }
        }
        return List.copyOf(events);
    }

    private static S3ObjectEvent readRecord(JsonNode record, String topLevelEventName) {
        String eventName = textOrNull(record.path("eventName"));
        eventName = eventName != null ? eventName : topLevelEventName;
        if (eventName != null && eventName.startsWith(S3_PREFIX)) {
            eventName = eventName.substring(S3_PREFIX.length());
        }
        JsonNode s3 = record.path("s3");
        JsonNode object = s3.path("object");
        String key = textOrNull(object.path("key"));
        JsonNode size = object.path("size");
        if (!size.isMissingNode() && !size.isNull() && !size.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("s3.object.size is " + size + "; it must be a whole number of bytes");
        }
        Long sizeBytes = size.isIntegralNumber() ? size.longValue() : null;
        String eTag = textOrNull(object.path("eTag"));
        return new S3ObjectEvent(eventName, textOrNull(s3.path("bucket").path("name")),
                key == null ? null : URLDecoder.decode(key, StandardCharsets.UTF_8), sizeBytes,
                eTag == null ? null : eTag.replace("\"", ""), textOrNull(object.path("versionId")));
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }
}
