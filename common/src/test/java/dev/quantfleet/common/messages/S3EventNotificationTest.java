package dev.quantfleet.common.messages;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3EventNotificationTest {

    /** Hand-written in the shape MinIO sends for a PUT on a versioned bucket. */
    private static final String MINIO_PUT = """
            {
              "EventName": "s3:ObjectCreated:Put",
              "Key": "fleet-models/models/minilm/3/model.onnx",
              "Records": [
                {
                  "eventVersion": "2.0",
                  "eventSource": "minio:s3",
                  "awsRegion": "",
                  "eventTime": "2024-06-01T12:00:00.000Z",
                  "eventName": "s3:ObjectCreated:Put",
                  "userIdentity": {"principalId": "minioadmin"},
                  "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "Config",
                    "bucket": {"name": "fleet-models", "ownerIdentity": {"principalId": "minioadmin"},
                               "arn": "arn:aws:s3:::fleet-models"},
                    "object": {"key": "models%2Fminilm%2F3%2Fmodel.onnx", "size": 90405214,
                               "eTag": "9b2cf535f27731c974343645a3985328",
                               "contentType": "application/octet-stream",
                               "versionId": "5f1e3a0c-7b1d-4c4e-9f0a-2d3b4c5d6e7f",
                               "sequencer": "17D4B0F2A1C3E5F7"}
                  }
                }
              ]
            }
            """;

    @Test
    void minioPutGivesBucketKeySizeAndVersion() {
        List<S3ObjectEvent> events = S3EventNotification.parse(MINIO_PUT.getBytes(StandardCharsets.UTF_8));

        assertThat(events).hasSize(1);
        S3ObjectEvent event = events.get(0);
        assertThat(event.eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(event.objectCreated()).isTrue();
        assertThat(event.bucket()).isEqualTo("fleet-models");
        assertThat(event.key()).isEqualTo("models/minilm/3/model.onnx");
        assertThat(event.sizeBytes()).isEqualTo(90_405_214L);
        assertThat(event.eTag()).isEqualTo("9b2cf535f27731c974343645a3985328");
        assertThat(event.versionId()).isEqualTo("5f1e3a0c-7b1d-4c4e-9f0a-2d3b4c5d6e7f");
        assertThat(event.eventId())
                .isEqualTo("fleet-models/models/minilm/3/model.onnx#5f1e3a0c-7b1d-4c4e-9f0a-2d3b4c5d6e7f");
        assertThat(event.modelObjectKey())
                .contains(new S3ObjectEvent.ModelObjectKey("minilm", "3", "model.onnx"));
    }

    @Test
    void deleteWithoutVersionHasUnversionedId() {
        String delete = """
                {"Records": [{"eventName": "ObjectRemoved:Delete",
                  "s3": {"bucket": {"name": "b"}, "object": {"key": "data/a+b.npz", "sequencer": "0A"}}}]}
                """;

        S3ObjectEvent event = S3EventNotification.parse(delete.getBytes(StandardCharsets.UTF_8)).get(0);

        assertThat(event.objectCreated()).isFalse();
        assertThat(event.key()).isEqualTo("data/a b.npz");
        assertThat(event.sizeBytes()).isNull();
        assertThat(event.versionId()).isNull();
        assertThat(event.eventId()).isEqualTo("b/data/a b.npz#unversioned");
        assertThat(event.modelObjectKey()).isEmpty();
    }

    @Test
    void notificationIsDistinguishedFromModelEvent() {
        assertThat(S3EventNotification.isNotification(MINIO_PUT.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(S3EventNotification.isNotification(WireJson.toBytes(WireSamples.modelEvent()))).isFalse();
        assertThat(S3EventNotification.isNotification("{".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void recordWithoutKeyIsRejected() {
        String noKey = """
                {"EventName": "s3:ObjectCreated:Put", "Records": [{"s3": {"bucket": {"name": "b"}, "object": {}}}]}
                """;

        assertThatThrownBy(() -> S3EventNotification.parse(noKey.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Invalid S3EventNotification payload: Records[0]: key is missing; it is required");
    }

    @Test
    void payloadWithoutRecordsIsRejected() {
        assertThatThrownBy(() -> S3EventNotification.parse("{\"EventName\": \"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("Records is missing or not an array");
    }
}
