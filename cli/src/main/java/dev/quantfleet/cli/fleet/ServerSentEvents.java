package dev.quantfleet.cli.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Assembles the events of a {@code text/event-stream} from its lines: {@code data:} lines add to
 * the event's data (one space after the colon is dropped), a blank line ends the event, and lines
 * that start with {@code :} are comments. The {@code event}, {@code id} and {@code retry} fields
 * are read past, because the coordinator sends only data. An event that the stream cuts off
 * before its blank line is dropped.
 */
final class ServerSentEvents {

    private final List<String> data = new ArrayList<>();

    /** Reads one line; returns the event's data when the line ends an event that has data. */
    Optional<String> accept(String line) {
        if (line.isEmpty()) {
            if (data.isEmpty()) {
                return Optional.empty();
            }
            String event = String.join("\n", data);
            data.clear();
            return Optional.of(event);
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("data")) {
            data.add(value);
        }
        return Optional.empty();
    }
}
