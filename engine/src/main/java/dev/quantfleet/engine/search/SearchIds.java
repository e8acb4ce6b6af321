package dev.quantfleet.engine.search;

import dev.quantfleet.engine.quantize.QuantConfig;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Candidate ids, task ids and seeds, all derived from content so that two runs of the same
 * request name and seed everything alike.
 * <ul>
 *   <li>Candidate id: the first {@value #CANDIDATE_ID_HEX_DIGITS} hex digits (64 bits) of the
 *       SHA-256 of {@link QuantConfig#toJson()}, which is canonical (fixed property order, sorted
 *       maps and op types).</li>
 *   <li>Task id: {@code requestId/r<round, 4 digits>/<kind>/<candidateId>}, so sorting task ids
 *       sorts by round, then kind, then candidate.</li>
 *   <li>Seed: the first 8 bytes, big-endian, of the SHA-256 of {@code "<requestSeed>/<candidateId>"}.</li>
 * </ul>
 */
public final class SearchIds {

    /** Hex digits kept of the SHA-256 in a candidate id. */
    public static final int CANDIDATE_ID_HEX_DIGITS = 16;

    /** Candidate id of the float model, used by the BASELINE and CALIBRATE tasks. */
    public static final String FLOAT_MODEL_ID = "float";

    private SearchIds() {
    }

    /** Returns the candidate id of {@code config}. */
    public static String candidateId(QuantConfig config) {
        return sha256Hex(config.toJson()).substring(0, CANDIDATE_ID_HEX_DIGITS);
    }

    /** Returns the task id of a task of {@code kind} for {@code candidateId} in {@code round}. */
    public static String taskId(String requestId, int round, TaskKind kind, String candidateId) {
        return String.format("%s/r%04d/%s/%s", requestId, round, kind, candidateId);
    }

    /** Returns the seed of {@code candidateId} in a request seeded with {@code requestSeed}. */
    public static long seed(long requestSeed, String candidateId) {
        byte[] digest = sha256(requestSeed + "/" + candidateId);
        return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
    }

    /** Returns the lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
