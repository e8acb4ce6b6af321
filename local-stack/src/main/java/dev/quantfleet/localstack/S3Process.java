package dev.quantfleet.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-protocol server (S3Proxy 4.1.0, {@code org.gaul.s3proxy.Main}) in a child JVM on
 * 127.0.0.1 with a filesystem backend, for local runs of the fleet.
 *
 * <p>Layout below the work directory: {@code s3/s3proxy.properties}, {@code s3/data/} (one
 * directory per bucket, kept after stop) and {@code logs/s3.log} (stdout and stderr of the server).
 */
public final class S3Process implements AutoCloseable {

    private final ChildProcess child;
    private final S3Endpoint endpoint;
    private final LaunchSettings settings;

    private S3Process(ChildProcess child, S3Endpoint endpoint, LaunchSettings settings) {
        this.child = child;
        this.endpoint = endpoint;
        this.settings = settings;
    }

    /** Launches the server with 256 MiB heap and the default credentials and waits until it responds. */
    public static S3Process start(Path workDirectory) {
        S3Process s3 = launch(workDirectory, LaunchSettings.ofCurrentClasspath("256m"),
                EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY);
        s3.awaitReady();
        return s3;
    }

    /** Launches the server without waiting for it; call {@link #awaitReady()} before use. */
    public static S3Process launch(Path workDirectory, LaunchSettings settings, String accessKey, String secretKey) {
        NoisyLoggers.lowerToWarn();
        int port = LoopbackPorts.freePort();
        URI uri = URI.create("http://" + LoopbackPorts.LOOPBACK_HOST + ":" + port);
        Path s3Directory = workDirectory.resolve("s3");
        Path dataDirectory = s3Directory.resolve("data");
        Path propertiesFile = s3Directory.resolve("s3proxy.properties");
        writeProperties(propertiesFile, dataDirectory, uri, accessKey, secretKey);

        Path logFile = workDirectory.resolve("logs").resolve("s3.log");
        List<String> arguments = List.of("--properties", propertiesFile.toAbsolutePath().toString());
        ChildProcess child = ChildProcess.launch("s3", settings, "org.gaul.s3proxy.Main", arguments, logFile);
        return new S3Process(child, new S3Endpoint(uri, EmbeddedS3.REGION, accessKey, secretKey), settings);
    }

    private static void writeProperties(Path propertiesFile, Path dataDirectory, URI uri, String accessKey, String secretKey) {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", uri.toString());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", accessKey);
        properties.setProperty("s3proxy.credential", secretKey);
        properties.setProperty("jclouds.provider", "filesystem-nio2");
        properties.setProperty("jclouds.identity", "local");
        properties.setProperty("jclouds.credential", "local");
        properties.setProperty("jclouds.filesystem.basedir", dataDirectory.toAbsolutePath().toString());
        try {
            Files.createDirectories(dataDirectory);
            try (OutputStream out = Files.newOutputStream(propertiesFile)) {
                properties.store(out, "S3Proxy configuration written by quantfleet-local-stack");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the S3Proxy configuration " + propertiesFile, e);
        }
    }

    /**
     * Waits until a signed list-buckets request succeeds.
     *
     * @throws LocalStackException if the process exits or the start-up timeout passes first; the
     *     process is stopped and the message names the log file
     */
    public void awaitReady() {
        try (S3Client client = S3Clients.probeClient(endpoint)) {
            child.awaitReady(() -> S3Clients.respondsToListBuckets(client), settings.startupTimeout(),
                    "S3 server responds to a list-buckets request on " + endpoint.endpoint());
        }
    }

    /** Creates {@code bucket} unless it exists. */
    public void createBucket(String bucket) {
        try (S3Client client = S3Clients.probeClient(endpoint)) {
            S3Clients.createBucket(client, bucket);
        }
    }

    public S3Endpoint endpoint() {
        return endpoint;
    }

    /** Returns the file that receives the server's stdout and stderr. */
    public Path logFile() {
        return child.logFile();
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** Sends SIGTERM and kills the server if it has not exited within the stop grace period. */
    public void stop() {
        child.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
