package dev.quantfleet.common.messages;

import java.util.regex.Pattern;

/** Checks of the ids that messages carry and that become parts of task ids and Kafka keys. */
public final class WireIds {

    /** Maximum length of a request id. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;

    /**
     * Request id characters: a letter or digit, then letters, digits, dot, underscore and hyphen.
     * No slash, because task ids join the request id, round, kind and candidate id with slashes.
     */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private WireIds() {
    }

    /**
     * Returns {@code requestId} when it is 1 to {@value #MAX_REQUEST_ID_LENGTH} letters, digits,
     * dots, underscores and hyphens, starting with a letter or digit.
     *
     * @throws IllegalArgumentException naming the value and the rule otherwise
     */
    public static String checkRequestId(String requestId) {
        WireChecks.requiredText(requestId, "requestId");
        if (requestId.length() > MAX_REQUEST_ID_LENGTH || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("requestId is '" + requestId + "'; use 1 to " + MAX_REQUEST_ID_LENGTH
                    + " letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. req-2024-0001");
        }
        return requestId;
    }
}
