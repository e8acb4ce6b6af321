package dev.quantfleet.deploychecks;

import java.util.List;
import java.util.Map;

/** Navigation in the maps and lists of parsed YAML and JSON, such as a custom resource's spec. */
final class Maps {

    private Maps() {
    }

    /** Returns the value at {@code path} below {@code root}, or null when a step is missing. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    /** Returns the value at {@code path} as text, or null when it is missing; numbers and booleans become their text. */
    static String text(Object root, String... path) {
        Object value = at(root, path);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, String... path) {
        Object value = at(root, path);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(String.join(".", path) + " is " + value + ", not a mapping");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object root, String... path) {
        Object value = at(root, path);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?>)) {
            throw new AssertionError(String.join(".", path) + " is " + value + ", not a list");
        }
        return (List<Object>) value;
    }
}
