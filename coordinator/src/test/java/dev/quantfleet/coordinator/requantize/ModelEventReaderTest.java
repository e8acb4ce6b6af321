package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.ModelEventSource;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.ModelVersionPublished;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelEventReaderTest {

    private final ModelEventReader reader = new ModelEventReader(ModelEventConfig.forBucket("models-bucket"));

    /** Returns a notification in the shape of MinIO's documented event format, with one record per key. */
    private static byte[] notification(String eventName, String bucket, String... encodedKeys) {
        StringBuilder records = new StringBuilder();
        for (String key : encodedKeys) {
            records.append(records.isEmpty() ? "" : ",").append("""
                    {"eventVersion": "2.0", "eventSource": "minio:s3", "awsRegion": "",
                     "eventTime": "2024-06-02T10:00:00.000Z", "eventName": "%s",
                     "s3": {"s3SchemaVersion": "1.0", "configurationId": "Config",
                            "bucket": {"name": "%s", "arn": "arn:aws:s3:::%s"},
                            "object": {"key": "%s", "size": 2048, "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                                       "contentType": "application/octet-stream", "versionId": "v-1",
                                       "sequencer": "17D8C6B2E8F1A2B3"}}}
                    """.formatted(eventName, bucket, bucket, key));
        }
        String json = "{\"EventName\": \"" + eventName + "\", \"Key\": \"" + bucket + "/" + encodedKeys[0]
                + "\", \"Records\": [" + records + "]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createdOnnxObjectIsModelEvent() {
        ModelEventReader.Read read = reader.read(notification("s3:ObjectCreated:Put", "models-bucket",
                "models%2Fchain+net%2F2%2Fmodel.onnx"));

        assertThat(read.ignored()).isEmpty();
        ModelEvent event = read.events().get(0);
        assertThat(event.source()).isEqualTo(ModelEventSource.S3_EVENT);
        assertThat(event.modelName()).isEqualTo("chain net");
        assertThat(event.modelVersion()).isEqualTo("2");
        assertThat(event.objectKey()).isEqualTo("models/chain net/2/model.onnx");
        assertThat(event.objectVersionId()).isEqualTo("v-1");
        assertThat(event.objectETag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(event.eventId()).isEqualTo("models-bucket/models/chain net/2/model.onnx#v-1");
        assertThat(event.model()).isNull();
        assertThat(RequantizationRequests.requestId(event)).startsWith("requant-chain-net-2-").hasSize(36);
    }

    @Test
    void otherRecordsAreIgnoredWithReason() {
        ModelEventReader.Read deleted = reader.read(notification("s3:ObjectRemoved:Delete", "models-bucket",
                "models/chain/2/model.onnx"));
        ModelEventReader.Read otherBucket = reader.read(notification("s3:ObjectCreated:Put", "logs",
                "models/chain/2/model.onnx"));
        ModelEventReader.Read mixed = reader.read(notification("s3:ObjectCreated:Put", "models-bucket",
                "models/chain/2/model.onnx.data", "data/chain/2/model.onnx", "models/chain/model.onnx",
                "models/chain/3/model.onnx"));

        assertThat(deleted.events()).isEmpty();
        assertThat(deleted.ignored()).singleElement().asString().contains("ObjectRemoved:Delete")
                .contains("creates no object");
        assertThat(otherBucket.events()).isEmpty();
        assertThat(otherBucket.ignored()).singleElement().asString().contains("is not in bucket models-bucket");
        assertThat(mixed.events()).extracting(ModelEvent::modelVersion).containsExactly("3");
        assertThat(mixed.ignored()).hasSize(3);
        assertThat(mixed.ignored().get(0)).contains("is not the .onnx file");
        assertThat(mixed.ignored().get(1)).contains("is not a model file models/<name>/<version>/<file>");
        assertThat(mixed.ignored().get(2)).contains("s3://models-bucket/models/chain/model.onnx");
    }

    @Test
    void publishedVersionIsModelEvent() {
        String sha = "c".repeat(64);
        ModelReference model = new ModelReference("chain", "7", new ArtifactRef("fleet/sha256/" + sha, sha, 99),
                List.of());
        byte[] payload = WireJson.toBytes(new ModelVersionPublished(WireMessage.CURRENT_SCHEMA_VERSION, model,
                ModelEventSource.PRODUCER, "chain/7/release", 1_717_000_000_000L));

        ModelEventReader.Read read = reader.read(payload);

        assertThat(read.ignored()).isEmpty();
        assertThat(read.events()).singleElement().satisfies(event -> {
            assertThat(event.eventId()).isEqualTo("chain/7/release");
            assertThat(event.source()).isEqualTo(ModelEventSource.PRODUCER);
            assertThat(event.model()).isEqualTo(model);
            assertThat(event.bucket()).isNull();
        });
    }

    @Test
    void neitherFormIsRejected() {
        byte[] payload = "{\"model\": 3}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> reader.read(payload))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("ModelVersionPublished");
    }

    @Test
    void prefixWithoutSlashIsRejected() {
        assertThatThrownBy(() -> new ModelEventConfig("bucket", "models", "group"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelsPrefix is 'models'");
    }
}
