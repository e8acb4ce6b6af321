package dev.quantfleet.engine.graph;

import java.util.List;

/**
 * Thrown when a model cannot be converted to the requested opset. Either the conversion would
 * lower the version, or a version is outside the supported range, or a node uses an operator
 * whose change between the two versions the converter does not handle. The message names both
 * versions and, for each rejected node, the op type, the node and the reason.
 */
public class OpsetConversionException extends Exception {

    private final long fromVersion;
    private final long toVersion;
    private final List<String> reasons;

    public OpsetConversionException(long fromVersion, long toVersion, List<String> reasons) {
        super("Cannot convert the model from opset " + fromVersion + " to opset " + toVersion + ": "
                + String.join("; ", reasons));
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.reasons = List.copyOf(reasons);
    }

    public long fromVersion() {
        return fromVersion;
    }

    public long toVersion() {
        return toVersion;
    }

    /** Returns one entry per rejected node or per rejected version pair. */
    public List<String> reasons() {
        return reasons;
    }
}
