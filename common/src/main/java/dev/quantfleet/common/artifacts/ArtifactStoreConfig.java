package dev.quantfleet.common.artifacts;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Connection and limits of an {@link ArtifactStore}.
 *
 * <p>Every key of the store starts with {@code prefix + "/"}. Files of more than {@code
 * multipartThresholdBytes} are uploaded in parts of {@code partSizeBytes}. S3 allows at most 10,000
 * parts of at least 5 MiB each (except the last), so {@code maxObjectBytes} may not exceed 10,000
 * parts.
 *
 * @param endpoint S3 endpoint with scheme http or https, for example {@code http://127.0.0.1:9000}
 * @param region signing region, for example {@code us-east-1}
 * @param bucket bucket that contains all artifacts
 * @param prefix key prefix that confines all artifacts, for example {@code quantfleet}
 * @param accessKeyId access key id
 * @param secretAccessKey secret access key; {@link #toString()} does not show it
 * @param maxObjectBytes largest object that the store uploads or downloads
 * @param multipartThresholdBytes files larger than this are uploaded with multipart upload
 * @param partSizeBytes size of each multipart part except the last
 */
public record ArtifactStoreConfig(
        URI endpoint,
        String region,
        String bucket,
        String prefix,
        String accessKeyId,
        String secretAccessKey,
        long maxObjectBytes,
        long multipartThresholdBytes,
        long partSizeBytes) {

    public static final long MIB = 1024L * 1024L;
    public static final long MIN_PART_SIZE_BYTES = 5 * MIB;
    public static final int MAX_PARTS = 10_000;
    public static final long DEFAULT_PART_SIZE_BYTES = 16 * MIB;
    public static final long DEFAULT_MULTIPART_THRESHOLD_BYTES = 16 * MIB;
    public static final long DEFAULT_MAX_OBJECT_BYTES = 64L * 1024 * MIB;

    public ArtifactStoreConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("Invalid S3 endpoint '" + endpoint + "': expected an http or https URI such as http://127.0.0.1:9000");
        }
        requireText(region, "region");
        requireText(bucket, "bucket");
        ArtifactKeys.requireValidKey(prefix, "prefix");
        requireText(accessKeyId, "accessKeyId");
        requireText(secretAccessKey, "secretAccessKey");
        if (partSizeBytes < MIN_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("Invalid partSizeBytes " + partSizeBytes + ": S3 requires at least " + MIN_PART_SIZE_BYTES);
        }
        if (multipartThresholdBytes < 0) {
            throw new IllegalArgumentException("Invalid multipartThresholdBytes " + multipartThresholdBytes + ": expected >= 0");
        }
        if (maxObjectBytes < 0 || maxObjectBytes > MAX_PARTS * partSizeBytes) {
            throw new IllegalArgumentException("Invalid maxObjectBytes " + maxObjectBytes + ": expected 0 to " + MAX_PARTS
                    + " parts of partSizeBytes " + partSizeBytes + " (" + MAX_PARTS * partSizeBytes + "); raise partSizeBytes for larger objects");
        }
    }

    /** Returns a configuration with the default limits (64 GiB objects, 16 MiB parts above 16 MiB). */
    public static ArtifactStoreConfig of(URI endpoint, String region, String bucket, String prefix, String accessKeyId, String secretAccessKey) {
        return new ArtifactStoreConfig(endpoint, region, bucket, prefix, accessKeyId, secretAccessKey,
                DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MULTIPART_THRESHOLD_BYTES, DEFAULT_PART_SIZE_BYTES);
    }

    /**
     * Reads endpoint, region and credentials from the standard AWS variables: {@code
     * AWS_ENDPOINT_URL_S3} (or {@code AWS_ENDPOINT_URL}), {@code AWS_REGION} (or {@code
     * AWS_DEFAULT_REGION}, default {@code us-east-1}), {@code AWS_ACCESS_KEY_ID} and {@code
     * AWS_SECRET_ACCESS_KEY}.
     *
     * <p>The endpoint has no default, so the store never sends requests to a host that was not
     * configured.
     *
     * @param environment usually {@link System#getenv()}
     * @throws IllegalArgumentException naming the missing variable
     */
    public static ArtifactStoreConfig fromEnvironment(Map<String, String> environment, String bucket, String prefix) {
        String endpoint = firstPresent(environment, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
        if (endpoint == null) {
            throw new IllegalArgumentException("Missing S3 endpoint: set AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), for example http://127.0.0.1:9000");
        }
        String region = firstPresent(environment, "AWS_REGION", "AWS_DEFAULT_REGION");
        return of(URI.create(endpoint), region == null ? "us-east-1" : region, bucket, prefix,
                requiredVariable(environment, "AWS_ACCESS_KEY_ID"), requiredVariable(environment, "AWS_SECRET_ACCESS_KEY"));
    }

    /** Returns a copy with other size limits. */
    public ArtifactStoreConfig withLimits(long maxObjectBytes, long multipartThresholdBytes, long partSizeBytes) {
        return new ArtifactStoreConfig(endpoint, region, bucket, prefix, accessKeyId, secretAccessKey,
                maxObjectBytes, multipartThresholdBytes, partSizeBytes);
    }

    @Override
    public String toString() {
        return "ArtifactStoreConfig[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKeyId=" + accessKeyId + ", secretAccessKey=***, maxObjectBytes=" + maxObjectBytes
                + ", multipartThresholdBytes=" + multipartThresholdBytes + ", partSizeBytes=" + partSizeBytes + "]";
    }

    private static String firstPresent(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String requiredVariable(Map<String, String> environment, String name) {
        String value = firstPresent(environment, name);
        if (value == null) {
            throw new IllegalArgumentException("Missing environment variable " + name + " for the S3 artifact store");
        }
        return value;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing " + name + " of the S3 artifact store");
        }
    }
}
