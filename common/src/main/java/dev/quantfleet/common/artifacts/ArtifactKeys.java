package dev.quantfleet.common.artifacts;

import java.nio.charset.StandardCharsets;

/**
 * Rules for object keys and prefixes of the artifact store.
 *
 * <p>A valid key is 1 to 1024 UTF-8 bytes (the S3 limit) of segments separated by {@code /}.
 * Every segment is non-empty and neither {@code .} nor {@code ..}. Keys contain no control
 * characters (U+0000 to U+001F, U+007F to U+009F) and no backslash, and do not start with
 * {@code /}. These rules keep a key inside its prefix even where a tool maps keys to file paths.
 */
public final class ArtifactKeys {

    /** Maximum key length of S3, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private ArtifactKeys() {
    }

    /**
     * Returns {@code key} if it is valid.
     *
     * @param valueName name of the checked value in the error message, for example "relativeKey"
     * @throws IllegalArgumentException naming the key, the broken rule and the allowed form
     */
    public static String requireValidKey(String key, String valueName) {
        if (key == null || key.isEmpty()) {
            throw invalid(valueName, key, "it is empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw invalid(valueName, key, "it is longer than " + MAX_KEY_BYTES + " UTF-8 bytes");
        }
        if (key.startsWith("/")) {
            throw invalid(valueName, key, "it is absolute (starts with '/')");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid(valueName, key, String.format("it contains the control character U+%04X at index %d", (int) c, i));
            }
            if (c == '\\') {
                throw invalid(valueName, key, "it contains a backslash at index " + i);
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalid(valueName, key, "it contains an empty segment ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid(valueName, key, "it contains the segment '" + segment + "'");
            }
        }
        return key;
    }

    /** Returns {@code prefix + "/" + relativeKey} after validating both parts and the result. */
    static String join(String prefix, String relativeKey) {
        requireValidKey(relativeKey, "relativeKey");
        return requireValidKey(prefix + "/" + relativeKey, "key");
    }

    private static IllegalArgumentException invalid(String valueName, String key, String reason) {
        String displayedKey = key == null ? "null" : "'" + key.replaceAll("\\p{Cc}", "?") + "'";
        return new IllegalArgumentException("Invalid " + valueName + " " + displayedKey + ": " + reason
                + ". Expected relative segments separated by '/', without empty, '.' or '..' segments,"
                + " control characters or backslashes, for example 'quantized/model/1/request/model.onnx'");
    }
}
