package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.synthetic.TextLineRenderer;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * One drawn text line.
 *
 * @param text  the text drawn, the reference for recognition
 * @param style how it was drawn
 * @param image the RGB line image, 48 px high
 */
record OcrLine(String text, OcrLineStyle style, BufferedImage image) {

    /**
     * Draws {@code texts}, line {@code i} in {@code styleOfLine.apply(i)}; the options of line
     * {@code i} come from a generator seeded with {@code seed + i}, so a line looks the same
     * whatever set it is drawn in.
     */
    static List<OcrLine> draw(List<String> texts, IntFunction<OcrLineStyle> styleOfLine, long seed) {
        TextLineRenderer renderer = new TextLineRenderer();
        List<OcrLine> lines = new ArrayList<>(texts.size());
        for (int index = 0; index < texts.size(); index++) {
            OcrLineStyle style = styleOfLine.apply(index);
            long lineSeed = seed + index;
            TextLineRenderer.Options options = style.options(new Random(lineSeed), lineSeed);
            lines.add(new OcrLine(texts.get(index), style, renderer.draw(texts.get(index), options)));
        }
        return lines;
    }

    /** The recognizer input of this line at its own width, {@code [1, 3, 48, W]}. */
    TextLineRenderer.RecognizerInput recognizerInput() {
        return TextLineRenderer.toRecognizerInput(image);
    }

    /** Returns the classifier input {@code [3, 48, 192]} of this line, turned by 180 degrees when {@code turned}. */
    float[] classifierInput(boolean turned) {
        return TextLineRenderer.toClassifierInput(turned ? TextLineRenderer.rotate180(image) : image);
    }

    /** Returns whether line {@code index} of a classifier set is turned by 180 degrees: every second one, from the second. */
    static boolean turnedInClassifierSet(int index) {
        return index % 2 == 1;
    }
}
