package dev.quantfleet.localstack;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Address and credentials of an S3-protocol server: what an S3 client needs, with path-style
 * access and an endpoint override.
 *
 * @param endpoint base URI, for example {@code http://127.0.0.1:40125}
 * @param region signing region of requests to this endpoint
 * @param accessKey access key id
 * @param secretKey secret access key; {@link #toString()} does not show it
 */
public record S3Endpoint(URI endpoint, String region, String accessKey, String secretKey) {

    public S3Endpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    /**
     * Returns the standard AWS environment variables for this endpoint: {@code AWS_ENDPOINT_URL_S3},
     * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}.
     */
    public Map<String, String> environment() {
        return Map.of(
                "AWS_ENDPOINT_URL_S3", endpoint.toString(),
                "AWS_REGION", region,
                "AWS_ACCESS_KEY_ID", accessKey,
                "AWS_SECRET_ACCESS_KEY", secretKey);
    }

    @Override
    public String toString() {
        return "S3Endpoint[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey + ", secretKey=***]";
    }
}
