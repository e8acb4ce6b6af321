package dev.quantfleet.common.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.localstack.S3Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class ArtifactStoreTest {

    private static final String BUCKET = "artifacts";
    private static final String PREFIX = "quantfleet";

    private static EmbeddedS3 s3;
    private static ArtifactStore store;
    private static S3Client rawClient;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.builder().bucket(BUCKET).start();
        store = ArtifactStore.open(config(s3.endpoint()));
        rawClient = rawClient(s3.endpoint());
    }

    @AfterAll
    static void stopS3() {
        try {
            if (store != null) {
                store.close();
            }
            if (rawClient != null) {
                rawClient.close();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }

    @Test
    void shouldRoundTripContentAddressedFile() throws IOException {
        Path file = writeRandomFile("calibration.bin", 100_000, 1);

        ArtifactRef ref = store.putContent(file);
        Path target = tempDir.resolve("downloaded.bin");
        store.download(ref, target);

        assertThat(ref.key()).isEqualTo(PREFIX + "/sha256/" + ref.sha256());
        assertThat(ref.sha256()).isEqualTo(Sha256.of(file));
        assertThat(ref.sizeBytes()).isEqualTo(100_000);
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(file));
        assertThat(store.exists(ref)).isTrue();
        assertThat(store.find(ref.key())).contains(ref);
    }

    @Test
    void shouldImportObjectOutsidePrefix() {
        byte[] bytes = "model written by another tool".getBytes(StandardCharsets.UTF_8);
        String eTag = rawClient.putObject(b -> b.bucket(BUCKET).key("models/chain/2/model.onnx"),
                RequestBody.fromBytes(bytes)).eTag().replace("\"", "");

        ArtifactRef imported = store.importObject(BUCKET, "models/chain/2/model.onnx", eTag, tempDir).orElseThrow();

        assertThat(imported.key()).isEqualTo(PREFIX + "/sha256/" + Sha256.of(bytes));
        assertThat(imported.sizeBytes()).isEqualTo(bytes.length);
        assertThat(store.find(imported.key())).contains(imported);
        assertThat(store.readBytes(imported)).isEqualTo(bytes);
        assertThat(tempDir).isEmptyDirectory();
    }

    @Test
    void shouldRejectImportOfReplacedObject() {
        rawClient.putObject(b -> b.bucket(BUCKET).key("models/chain/3/model.onnx"),
                RequestBody.fromBytes("second upload".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> store.importObject(BUCKET, "models/chain/3/model.onnx",
                "d41d8cd98f00b204e9800998ecf8427e", tempDir))
                .isInstanceOf(ArtifactIntegrityException.class)
                .hasMessageContaining("expected d41d8cd98f00b204e9800998ecf8427e");
        assertThat(store.importObject(BUCKET, "models/chain/9/model.onnx", null, tempDir)).isEmpty();
    }

    @Test
    void shouldSkipUploadOfStoredContent() {
        byte[] bytes = "reference outputs".getBytes(StandardCharsets.UTF_8);
        ArtifactRef first = store.putContent(bytes);
        HeadObjectResponse before = rawClient.headObject(b -> b.bucket(BUCKET).key(first.key()));

        ArtifactRef second = store.putContent(bytes);
        HeadObjectResponse after = rawClient.headObject(b -> b.bucket(BUCKET).key(first.key()));

        assertThat(second).isEqualTo(first);
        assertThat(after.lastModified()).isEqualTo(before.lastModified());
        assertThat(after.eTag()).isEqualTo(before.eTag());
        assertThat(store.readBytes(second)).isEqualTo(bytes);
    }

    @Test
    void shouldStoreNamedObject() {
        byte[] model = "quantized model".getBytes(StandardCharsets.UTF_8);

        ArtifactRef ref = store.putNamed("quantized/bert/1/req-17/model.onnx", model);

        assertThat(ref.key()).isEqualTo("quantfleet/quantized/bert/1/req-17/model.onnx");
        assertThat(rawClient.headObject(b -> b.bucket(BUCKET).key(ref.key())).metadata())
                .containsEntry(ArtifactStore.SHA256_METADATA, Sha256.of(model));
        assertThat(store.readBytes(ref)).isEqualTo(model);
    }

    @Test
    void shouldRejectCorruptedObjectAndDeletePartialFile() throws IOException {
        ArtifactRef ref = store.putNamed("reports/corrupt.json", "{\"accuracy\":0.91}".getBytes(StandardCharsets.UTF_8));
        byte[] corrupted = "{\"accuracy\":0.99}".getBytes(StandardCharsets.UTF_8);
        rawClient.putObject(b -> b.bucket(BUCKET).key(ref.key()).metadata(Map.of(ArtifactStore.SHA256_METADATA, ref.sha256())),
                RequestBody.fromBytes(corrupted));
        Path target = tempDir.resolve("report.json");

        assertThatThrownBy(() -> store.download(ref, target))
                .isInstanceOf(ArtifactIntegrityException.class)
                .hasMessageContaining(ref.key())
                .hasMessageContaining("expected " + ref.sha256())
                .hasMessageContaining("has SHA-256 " + Sha256.of(corrupted));
        assertThat(target).doesNotExist();
        assertThat(tempDir.resolve("report.json.part")).doesNotExist();
        assertThatThrownBy(() -> store.readBytes(ref)).isInstanceOf(ArtifactIntegrityException.class);
    }

    @Test
    void shouldRejectObjectLongerThanReference() {
        ArtifactRef ref = store.putNamed("reports/grown.txt", "abc".getBytes(StandardCharsets.UTF_8));
        rawClient.putObject(b -> b.bucket(BUCKET).key(ref.key()), RequestBody.fromString("abcdef"));

        assertThatThrownBy(() -> store.download(ref, tempDir.resolve("grown.txt")))
                .isInstanceOf(ArtifactIntegrityException.class)
                .hasMessageContaining("larger than the expected 3 bytes");
        assertThat(tempDir.resolve("grown.txt.part")).doesNotExist();
    }

    @Test
    void shouldRejectKeysOutsidePrefix() {
        byte[] bytes = {1, 2, 3};

        assertThatThrownBy(() -> store.putNamed("../other/model.onnx", bytes)).hasMessageContaining("segment '..'");
        assertThatThrownBy(() -> store.putNamed("/model.onnx", bytes)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> store.putNamed("a//b", bytes)).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> store.putNamed("a/\u0007b", bytes)).hasMessageContaining("control character U+0007");
        assertThatThrownBy(() -> store.readBytes(new ArtifactRef("other/sha256/x", Sha256.of(bytes), 3)))
                .hasMessageContaining("outside the store's prefix 'quantfleet/'");
        assertThatThrownBy(() -> store.find("quantfleetx/a")).hasMessageContaining("outside the store's prefix");
        assertThat(rawClient.listObjectsV2(b -> b.bucket(BUCKET).prefix("other")).contents()).isEmpty();
    }

    @Test
    void shouldEnforceMaxObjectBytes() throws IOException {
        ArtifactStoreConfig small = config(s3.endpoint()).withLimits(10, 0, ArtifactStoreConfig.MIN_PART_SIZE_BYTES);
        Path file = writeRandomFile("big.bin", 11, 2);

        try (ArtifactStore limited = ArtifactStore.open(small)) {
            assertThatThrownBy(() -> limited.putContent(file))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has 11 bytes, more than maxObjectBytes 10");
        }
    }

    @Test
    void shouldUploadLargeFileInParts() throws IOException {
        Path file = writeRandomFile("model.onnx", 40_000_000, 3);

        ArtifactRef ref = store.putNamed("models/large/model.onnx", file);
        Path target = tempDir.resolve("model-copy.onnx");
        store.download(ref, target);

        HeadObjectResponse head = rawClient.headObject(b -> b.bucket(BUCKET).key(ref.key()));
        // S3 marks the ETag of a multipart object with "-<part count>"; 40 MB in 16 MiB parts is 3 parts.
        assertThat(head.eTag()).endsWith("-3\"");
        assertThat(head.contentLength()).isEqualTo(40_000_000L);
        assertThat(Sha256.of(target)).isEqualTo(ref.sha256()).isEqualTo(Sha256.of(file));
    }

    @Test
    void shouldReport403ForWrongSecret() {
        S3Endpoint endpoint = s3.endpoint();
        ArtifactStoreConfig wrong = ArtifactStoreConfig.of(endpoint.endpoint(), endpoint.region(), BUCKET, PREFIX, endpoint.accessKey(), "wrong-secret");

        try (ArtifactStore denied = ArtifactStore.open(wrong)) {
            assertThatThrownBy(() -> denied.putContent(new byte[] {1}))
                    .isInstanceOf(ArtifactStoreException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                    .hasMessageNotContaining("wrong-secret");
        }
    }

    @Test
    void configFromEnvironmentRequiresEndpoint() {
        Map<String, String> environment = Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b");

        assertThatThrownBy(() -> ArtifactStoreConfig.fromEnvironment(environment, BUCKET, PREFIX))
                .hasMessageContaining("Missing S3 endpoint: set AWS_ENDPOINT_URL_S3");
        ArtifactStoreConfig config = ArtifactStoreConfig.fromEnvironment(s3.endpoint().environment(), BUCKET, PREFIX);
        assertThat(config.endpoint()).isEqualTo(s3.endpointUri());
        assertThat(config.toString()).doesNotContain(s3.secretKey());
    }

    private Path writeRandomFile(String name, int sizeBytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        Path file = tempDir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            int remaining = sizeBytes;
            while (remaining > 0) {
                random.nextBytes(chunk);
                int length = Math.min(remaining, chunk.length);
                out.write(chunk, 0, length);
                remaining -= length;
            }
        }
        return file;
    }

    private static ArtifactStoreConfig config(S3Endpoint endpoint) {
        return ArtifactStoreConfig.of(endpoint.endpoint(), endpoint.region(), BUCKET, PREFIX, endpoint.accessKey(), endpoint.secretKey());
    }

    private static S3Client rawClient(S3Endpoint endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint.endpoint())
                .region(Region.of(endpoint.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
                .build();
    }
}
