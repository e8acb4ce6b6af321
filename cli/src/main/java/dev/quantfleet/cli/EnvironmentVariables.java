package dev.quantfleet.cli;

import java.util.Map;

/**
 * The environment variables the fleet commands read (coordinator URL, API token, S3 endpoint and
 * credentials). Tests replace them, because a JVM cannot change its own environment.
 */
final class EnvironmentVariables {

    private static volatile Map<String, String> replacement;

    private EnvironmentVariables() {
    }

    /** Returns the replacement set by a test, else this process's environment. */
    static Map<String, String> current() {
        Map<String, String> variables = replacement;
        return variables == null ? System.getenv() : variables;
    }

    /** Makes {@link #current()} return {@code variables}; null restores the process environment. */
    static void replaceForTests(Map<String, String> variables) {
        replacement = variables == null ? null : Map.copyOf(variables);
    }
}
