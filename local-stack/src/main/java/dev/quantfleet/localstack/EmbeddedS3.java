package dev.quantfleet.localstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-protocol server (S3Proxy 4.1.0) running inside this JVM on 127.0.0.1, with AWS signature
 * V2/V4 authentication.
 *
 * <p>Objects live in memory unless a data directory is given. Clients must use path-style access
 * with an endpoint override. S3Proxy's Jetty threads are not daemon threads, so the JVM does not
 * exit until {@link #close()} runs: call it in a finally block or use try-with-resources.
 */
public final class EmbeddedS3 implements AutoCloseable {

    /** Default access key id of the local server. */
    public static final String DEFAULT_ACCESS_KEY = "quantfleet-local";
    /** Default secret key of the local server; only for servers on 127.0.0.1. */
    public static final String DEFAULT_SECRET_KEY = "quantfleet-local-secret";
    /** Signing region that clients of the local servers use. */
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final S3Endpoint endpoint;
    private boolean stopped;

    private EmbeddedS3(S3Proxy proxy, BlobStore blobStore, S3Endpoint endpoint) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.endpoint = endpoint;
    }

    /** Starts an in-memory server with the default credentials and no buckets. */
    public static EmbeddedS3 start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the endpoint URI, for example {@code http://127.0.0.1:40125}. */
    public URI endpointUri() {
        return endpoint.endpoint();
    }

    /** Returns the endpoint with region and credentials. */
    public S3Endpoint endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return endpoint.accessKey();
    }

    public String secretKey() {
        return endpoint.secretKey();
    }

    /** Creates {@code bucket} unless it exists. */
    public void createBucket(String bucket) {
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    /** Stops the HTTP server and waits for its threads; objects in memory are lost. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long startNanos = System.nanoTime();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new LocalStackException("Failed to stop the embedded S3 server " + endpoint.endpoint(), e);
        }
        LOG.info("Stopped the embedded S3 server {} in {} ms", endpoint.endpoint(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public void close() {
        stop();
    }

    /** Settings of an {@link EmbeddedS3} server. */
    public static final class Builder {

        private Path dataDirectory;
        private String accessKey = DEFAULT_ACCESS_KEY;
        private String secretKey = DEFAULT_SECRET_KEY;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private final List<String> buckets = new ArrayList<>();

        private Builder() {
        }

        /** Stores objects as files below {@code directory} (one sub-directory per bucket) instead of in memory. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /** Sets the maximum time until the HTTP server reports the state STARTED. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Adds a bucket that {@link #start()} creates. */
        public Builder bucket(String bucket) {
            buckets.add(bucket);
            return this;
        }

        /**
         * Starts the server on a free port of 127.0.0.1 and creates the buckets.
         *
         * @throws LocalStackException if the server does not start within the start-up timeout;
         *     it is stopped before this is thrown
         */
        public EmbeddedS3 start() {
            NoisyLoggers.lowerToWarn();
            long startNanos = System.nanoTime();
            BlobStore blobStore = dataDirectory == null
                    ? new TransientNio2BlobStore()
                    : new FilesystemNio2BlobStore(dataDirectory.toAbsolutePath().toString());
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://" + LoopbackPorts.LOOPBACK_HOST + ":0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            try {
                proxy.start();
                if (!Readiness.poll(() -> "STARTED".equals(proxy.getState()), startupTimeout)) {
                    throw new LocalStackException("The embedded S3 server did not reach the state STARTED within "
                            + startupTimeout + " (state " + proxy.getState() + "); read the WARN and ERROR lines of the"
                            + " org.gaul loggers, or raise startupTimeout");
                }
                URI uri = URI.create("http://" + LoopbackPorts.LOOPBACK_HOST + ":" + proxy.getPort());
                EmbeddedS3 s3 = new EmbeddedS3(proxy, blobStore, new S3Endpoint(uri, REGION, accessKey, secretKey));
                buckets.forEach(s3::createBucket);
                LOG.info("Started the embedded S3 server {} in {} ms", uri, (System.nanoTime() - startNanos) / 1_000_000);
                return s3;
            } catch (Exception e) {
                stopAfterFailedStart(proxy, e);
                if (e instanceof RuntimeException runtimeException) {
                    throw runtimeException;
                }
                throw new LocalStackException("Failed to start the embedded S3 server", e);
            }
        }

        private static void stopAfterFailedStart(S3Proxy proxy, Exception failure) {
            try {
                proxy.stop();
            } catch (Exception cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
        }
    }
}
