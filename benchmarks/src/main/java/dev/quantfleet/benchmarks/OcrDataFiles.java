package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.evaluation.TextLabels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes drawn lines as the files a search reads: one float32 {@code .npy} array per set and a
 * labels file, in the forms {@code quantfleet models ocr-lines} documents.
 */
final class OcrDataFiles {

    private static final int WIDTH_STEP = 8;

    private OcrDataFiles() {
    }

    /**
     * Writes {@code lines} as recognizer input {@code [n, 3, 48, W]}, W the widest line rounded up to
     * a multiple of 8 and at least 320, so that no line is squeezed; narrower lines are padded with 0.
     */
    static Path writeRecognizerInput(Path file, List<OcrLine> lines) {
        int widest = lines.stream().mapToInt(line -> line.image().getWidth()).max().orElse(0);
        int width = Math.max(TextLineRenderer.MIN_WIDTH, (widest + WIDTH_STEP - 1) / WIDTH_STEP * WIDTH_STEP);
        int valuesPerLine = 3 * TextLineRenderer.HEIGHT * width;
        float[] values = new float[Math.multiplyExact(lines.size(), valuesPerLine)];
        for (int index = 0; index < lines.size(); index++) {
            float[] item = TextLineRenderer.toRecognizerInput(lines.get(index).image(), width);
            System.arraycopy(item, 0, values, index * valuesPerLine, valuesPerLine);
        }
        return writeFloats(file, new long[] {lines.size(), 3, TextLineRenderer.HEIGHT, width}, values);
    }

    /**
     * Writes {@code lines} as classifier input {@code [n, 3, 48, 192]}, every second line turned by
     * 180 degrees ({@link OcrLine#turnedInClassifierSet}).
     */
    static Path writeClassifierInput(Path file, List<OcrLine> lines) {
        int valuesPerLine = 3 * TextLineRenderer.HEIGHT * TextLineRenderer.CLASSIFIER_WIDTH;
        float[] values = new float[Math.multiplyExact(lines.size(), valuesPerLine)];
        for (int index = 0; index < lines.size(); index++) {
            float[] item = lines.get(index).classifierInput(OcrLine.turnedInClassifierSet(index));
            System.arraycopy(item, 0, values, index * valuesPerLine, valuesPerLine);
        }
        return writeFloats(file, new long[] {lines.size(), 3, TextLineRenderer.HEIGHT,
                TextLineRenderer.CLASSIFIER_WIDTH}, values);
    }

    /** Writes the classifier's class labels of a set of {@code count} lines: 0 upright, 1 turned, one per line. */
    static Path writeOrientationLabels(Path file, int count) {
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < count; index++) {
            text.append(OcrLine.turnedInClassifierSet(index) ? 1 : 0).append('\n');
        }
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file, e);
        }
    }

    /** Writes the texts of {@code lines} with the recognizer's dictionary as a {@link TextLabels} file. */
    static Path writeTextLabels(Path file, List<OcrLine> lines, List<String> characters) {
        try {
            new TextLabels(lines.stream().map(OcrLine::text).toList(), characters, CtcGreedyDecoder.Blank.FIRST)
                    .write(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file, e);
        }
    }

    private static Path writeFloats(Path file, long[] shape, float[] values) {
        try {
            return NpyWriter.writeFloats(file, shape, values);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file, e);
        }
    }
}
