package dev.quantfleet.benchmarks;

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
        return Sha256.hex(modelBytes);
    }
}
