package dev.quantfleet.engine.quantize;

/**
 * Calibrated range of one activation tensor, in the tensor's real units, before the
 * quantizer widens it to include 0.
 */
public record ActivationRange(float min, float max) {

    public ActivationRange {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("Activation range [" + min + ", " + max
                    + "] must be finite with min <= max");
        }
    }
}
