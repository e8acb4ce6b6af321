package dev.quantfleet.benchmarks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One form of the wake word pipeline in the audio suite's table.
 *
 * @param name                 the row name, e.g. {@code fp32}
 * @param configuration        how the model was made, e.g. the winner's configuration
 * @param modelBytes           the serialized pipeline model
 * @param searchWallMs         wall time of the search that chose it, or null for a fixed configuration
 * @param candidatesEvaluated  EVALUATE and SENSITIVITY tasks run (cached probes excluded), 1 for a
 *                             fixed configuration, 0 for fp32
 * @param higherPrecision      the nodes kept in float or int16, summarized per pipeline stage
 */
record AudioRow(String name, String configuration, byte[] modelBytes, Long searchWallMs, int candidatesEvaluated,
                String higherPrecision) {

    /** Returns the SHA-256 of the model bytes in lower-case hex. */
    String sha256() {
        return sha256(modelBytes);
    }

    /** Returns the SHA-256 of {@code bytes} in lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256", e);
        }
    }
}
