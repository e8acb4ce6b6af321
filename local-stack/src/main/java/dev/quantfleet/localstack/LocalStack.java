package dev.quantfleet.localstack;

/**
 * A Kafka broker and an S3 server inside this JVM, both on 127.0.0.1: the environment that the
 * coordinator and the workers need, for tests.
 *
 * <p>{@link #close()} stops both servers, the S3 server first, and also stops the S3 server when
 * stopping Kafka fails.
 */
public final class LocalStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private LocalStack(EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * Starts Kafka with default settings and an in-memory S3 server with the default credentials
     * and the given buckets. If S3 fails to start, Kafka is stopped before the error is thrown.
     */
    public static LocalStack start(String... buckets) {
        EmbeddedS3.Builder s3Builder = EmbeddedS3.builder();
        for (String bucket : buckets) {
            s3Builder.bucket(bucket);
        }
        return start(EmbeddedKafka.builder(), s3Builder);
    }

    /** Starts both servers from the given settings. If S3 fails to start, Kafka is stopped first. */
    public static LocalStack start(EmbeddedKafka.Builder kafkaBuilder, EmbeddedS3.Builder s3Builder) {
        EmbeddedKafka kafka = kafkaBuilder.start();
        try {
            return new LocalStack(kafka, s3Builder.start());
        } catch (RuntimeException e) {
            try {
                kafka.stop();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    @Override
    public void close() {
        try {
            s3.stop();
        } finally {
            kafka.stop();
        }
    }
}
