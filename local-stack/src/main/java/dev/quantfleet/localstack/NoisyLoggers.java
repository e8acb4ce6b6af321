package dev.quantfleet.localstack;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Lowers the loggers of Kafka, S3Proxy, Jetty and the HTTP clients to WARN in this JVM.
 *
 * <p>Logback without a configuration file logs everything at DEBUG, and the HTTP wire loggers
 * then write every byte of every S3 object. Only loggers without an explicitly configured level
 * are changed, so a logback.xml that sets one of them keeps its level. Other SLF4J bindings are
 * left alone.
 */
final class NoisyLoggers {

    /** Logger names (prefixes) that write INFO or DEBUG lines for every request or partition. */
    static final List<String> NAMES = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka",
            "org.gaul",
            "org.eclipse.jetty",
            "org.apache.http",
            "org.apache.hc",
            "software.amazon.awssdk",
            "io.netty",
            "io.opentelemetry");

    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private NoisyLoggers() {
    }

    static void lowerToWarn() {
        // Compare by name so that this class loads even where logback is excluded from the classpath.
        if (LoggerFactory.getILoggerFactory().getClass().getName().equals(LOGBACK_CONTEXT)) {
            LogbackLevels.lowerToWarn(NAMES);
        }
    }
}
