package dev.quantfleet.coordinator.aggregation;

import org.jboss.logmanager.LogContext;

import java.util.List;
import java.util.logging.Level;

/**
 * Lowers the Kafka loggers to WARN for tests that run outside Quarkus. In this module SLF4J
 * binds to the JBoss LogManager, which only Quarkus configures, so without this every broker and
 * stream thread logs at INFO.
 */
final class QuietKafkaLogs {

    private static final List<String> LOGGER_NAMES = List.of("org.apache.kafka", "kafka", "state.change.logger");

    private QuietKafkaLogs() {
    }

    static void apply() {
        LOGGER_NAMES.forEach(name -> LogContext.getLogContext().getLogger(name).setLevel(Level.WARNING));
    }
}
