package dev.quantfleet.localstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Logback-specific part of {@link NoisyLoggers}; loaded only when logback is the SLF4J binding. */
final class LogbackLevels {

    private LogbackLevels() {
    }

    /** Sets WARN on each named logger that has no level of its own and would log below WARN. */
    static void lowerToWarn(List<String> loggerNames) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : loggerNames) {
            Logger logger = context.getLogger(name);
            boolean inherited = logger.getLevel() == null;
            boolean belowWarn = logger.getEffectiveLevel().toInt() < Level.WARN_INT;
            if (inherited && belowWarn) {
                logger.setLevel(Level.WARN);
            }
        }
    }
}
