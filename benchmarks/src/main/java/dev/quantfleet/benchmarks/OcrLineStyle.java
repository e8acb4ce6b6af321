package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;

import java.util.Random;

/**
 * Drawing style of a text line in the OCR benchmarks, drawn with
 * {@link dev.quantfleet.engine.data.synthetic.TextLineRenderer}.
 * Font sizes are Java2D sizes in pixels before the line is scaled to the recognizer's height of 48.
 */
enum OcrLineStyle {

    /** Sharp black text of 24 to 48 px on a canvas at least 48 px high, as a clean scan. */
    CLEAN,
    /**
     * Text of 11 to 18 px, cropped tightly and scaled up to 48 px, as in a small, low-resolution
     * photo of text. The line is then blurred (sigma 1 to 2 px), darkened (gamma 1.5 to 2.5) and
     * made noisy (sigma 20 to 40 in 0..255 units).
     */
    HARD;

    /** Draws the options of one line from {@code random}; {@code seed} seeds the line's pixel noise. */
    Options options(Random random, long seed) {
        return switch (this) {
            case CLEAN -> new Options(uniform(random, 24, 48), 0, 1, 0, seed, false);
            case HARD -> new Options(uniform(random, 11, 18), uniform(random, 1.0, 2.0), uniform(random, 1.5, 2.5),
                    uniform(random, 20, 40), seed, true);
        };
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static float uniform(Random random, float low, float high) {
        return low + random.nextFloat() * (high - low);
    }

    private static double uniform(Random random, double low, double high) {
        return low + random.nextDouble() * (high - low);
    }
}
