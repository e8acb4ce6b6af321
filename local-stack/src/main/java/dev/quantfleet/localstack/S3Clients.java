package dev.quantfleet.localstack;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/** S3 client calls of {@link S3Process}: readiness probe and bucket creation. */
final class S3Clients {

    private static final Logger LOG = LoggerFactory.getLogger(S3Clients.class);

    private S3Clients() {
    }

    /** Returns a path-style client without retries and with a short call timeout, for probing. */
    static S3Client probeClient(S3Endpoint endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint.endpoint())
                .region(Region.of(endpoint.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(5)))
                .build();
    }

    /** Returns whether a signed list-buckets request succeeds. */
    static boolean respondsToListBuckets(S3Client client) {
        try {
            client.listBuckets();
            return true;
        } catch (SdkException e) {
            LOG.debug("S3 server not ready yet: {}", e.toString());
            return false;
        }
    }

    static void createBucket(S3Client client, String bucket) {
        try {
            client.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            LOG.debug("Bucket {} exists already", bucket);
        }
    }
}
