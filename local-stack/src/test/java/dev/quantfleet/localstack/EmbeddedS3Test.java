package dev.quantfleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmbeddedS3Test {

    @Test
    void shouldStoreObjectInFilesystemBucket(@TempDir Path dataDirectory) {
        try (EmbeddedS3 s3 = EmbeddedS3.builder().dataDirectory(dataDirectory).bucket("artifacts").start();
                S3Client client = client(s3.endpoint())) {
            client.putObject(b -> b.bucket("artifacts").key("a/b.txt"), RequestBody.fromString("scale"));

            String content = client.getObjectAsBytes(b -> b.bucket("artifacts").key("a/b.txt")).asString(StandardCharsets.UTF_8);

            assertThat(s3.endpointUri().getHost()).isEqualTo("127.0.0.1");
            assertThat(content).isEqualTo("scale");
            assertThat(dataDirectory.resolve("artifacts")).isDirectory();
        }
    }

    @Test
    void shouldRejectWrongSecretWith403() {
        try (EmbeddedS3 s3 = EmbeddedS3.builder().bucket("artifacts").start()) {
            S3Endpoint wrong = new S3Endpoint(s3.endpointUri(), s3.endpoint().region(), s3.accessKey(), "not-the-secret");
            try (S3Client client = client(wrong)) {
                assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket("artifacts")))
                        .isInstanceOf(S3Exception.class)
                        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
            }
        }
    }

    @Test
    void endpointToStringHidesSecret() {
        S3Endpoint endpoint = new S3Endpoint(URI.create("http://127.0.0.1:1"), "us-east-1", "key", "secret-value");

        assertThat(endpoint.toString()).doesNotContain("secret-value");
        assertThat(endpoint.environment()).containsEntry("AWS_SECRET_ACCESS_KEY", "secret-value");
    }

    static S3Client client(S3Endpoint endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint.endpoint())
                .region(Region.of(endpoint.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
                .build();
    }
}
