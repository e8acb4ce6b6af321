package dev.quantfleet.deploychecks;

import io.quarkus.runtime.configuration.DurationConverter;

import java.time.Duration;

/** Durations written as Quarkus reads them: {@code 30m}, {@code 10s}, {@code 500ms} or ISO-8601 such as {@code PT30M}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text) {
        return DurationConverter.parseDuration(text.strip());
    }
}
