package dev.quantfleet.engine.calibration;

/**
 * A finite quantization range {@code [min, max]} with {@code min <= max}. It need not contain
 * zero; the quantizer widens it to include zero when it computes scale and zero point. Negative
 * zero is stored as positive zero.
 */
public record Range(float min, float max) {

    public Range {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("Range [" + min + ", " + max + "] must be finite with min <= max");
        }
        min += 0.0f;
        max += 0.0f;
    }
}
