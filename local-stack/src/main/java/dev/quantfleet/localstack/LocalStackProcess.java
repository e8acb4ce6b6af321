package dev.quantfleet.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * A Kafka broker and an S3 server as child processes on 127.0.0.1, for local runs of the
 * coordinator and workers. Both are launched before waiting, so start-up takes about as long as
 * the slower of the two.
 *
 * <p>Layout below the work directory: see {@link KafkaProcess} and {@link S3Process}; both log to
 * {@code logs/}.
 */
public final class LocalStackProcess implements AutoCloseable {

    private final KafkaProcess kafka;
    private final S3Process s3;

    private LocalStackProcess(KafkaProcess kafka, S3Process s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /** Starts both servers with the class path of this JVM and the default S3 credentials. */
    public static LocalStackProcess start(Path workDirectory, List<String> buckets) {
        return start(workDirectory, buckets, LaunchSettings.ofCurrentClasspath("512m"), LaunchSettings.ofCurrentClasspath("256m"));
    }

    /**
     * Launches both servers, waits until both respond and creates the buckets. If either fails,
     * both processes are stopped before the error is thrown.
     */
    public static LocalStackProcess start(Path workDirectory, List<String> buckets, LaunchSettings kafkaSettings, LaunchSettings s3Settings) {
        KafkaProcess kafka = KafkaProcess.launch(workDirectory, kafkaSettings);
        S3Process s3 = null;
        try {
            s3 = S3Process.launch(workDirectory, s3Settings, EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY);
            s3.awaitReady();
            kafka.awaitReady();
            buckets.forEach(s3::createBucket);
            return new LocalStackProcess(kafka, s3);
        } catch (RuntimeException e) {
            stopBoth(kafka, s3, e);
            throw e;
        }
    }

    private static void stopBoth(KafkaProcess kafka, S3Process s3, RuntimeException failure) {
        try {
            if (s3 != null) {
                s3.stop();
            }
        } catch (RuntimeException stopFailure) {
            failure.addSuppressed(stopFailure);
        }
        try {
            kafka.stop();
        } catch (RuntimeException stopFailure) {
            failure.addSuppressed(stopFailure);
        }
    }

    public KafkaProcess kafka() {
        return kafka;
    }

    public S3Process s3() {
        return s3;
    }

    /** Stops the S3 server, then the broker; the broker is stopped even when stopping S3 fails. */
    @Override
    public void close() {
        try {
            s3.stop();
        } finally {
            kafka.stop();
        }
    }
}
