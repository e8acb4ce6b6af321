package dev.quantfleet.common.messages;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the record constructors; each failure names the field, the value and the rule. */
final class WireChecks {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private WireChecks() {
    }

    static void checkSchemaVersion(int schemaVersion, String type) {
        if (schemaVersion > WireMessage.CURRENT_SCHEMA_VERSION) {
            throw new IllegalArgumentException(newerVersionMessage(type, schemaVersion));
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion is " + schemaVersion + "; it must be from 1 to "
                    + WireMessage.CURRENT_SCHEMA_VERSION);
        }
    }

    static String newerVersionMessage(String type, long schemaVersion) {
        return type + " has schemaVersion " + schemaVersion + ", but this consumer reads versions up to "
                + WireMessage.CURRENT_SCHEMA_VERSION + "; upgrade the consumer";
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing; it is required");
        }
        return value;
    }

    static String requiredText(String value, String field) {
        required(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " is blank; give a non-empty value");
        }
        return value;
    }

    static String sha256(String value, String field) {
        required(value, field);
        if (!SHA256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " is '" + value
                    + "'; it must be 64 lower-case hex digits (a SHA-256)");
        }
        return value;
    }

    static long atLeast(long value, long minimum, String field) {
        if (value < minimum) {
            throw new IllegalArgumentException(field + " is " + value + "; it must be " + minimum + " or more");
        }
        return value;
    }

    static <T> List<T> listOrEmpty(Collection<T> values, String field) {
        if (values == null) {
            return List.of();
        }
        if (values.stream().anyMatch(value -> value == null)) {
            throw new IllegalArgumentException(field + " contains null; remove the null entries");
        }
        return List.copyOf(values);
    }
}
