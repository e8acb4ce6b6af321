package dev.quantfleet.cli;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.evaluation.TextLabels;
import dev.quantfleet.engine.external.PackageDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quantfleet models ocr-lines}: draws package synopses from the dpkg status database as
 * text line images and writes them as one float32 {@code .npy} array in the input format of
 * PaddleOCR's text line recognizer, {@code [count, 3, 48, width]}, or of its orientation
 * classifier, {@code [count, 3, 48, 192]}; BGR channel order, each value {@code (x / 255 - 0.5) / 0.5}.
 *
 * <p>Without {@code --width} the recognizer width is that of the widest drawn line, rounded up to
 * a multiple of 8 and at least 320, as PaddleOCR's batched recognition widens a batch to its
 * widest line; no line is then squeezed. Lines narrower than the width are padded on the right
 * with 0; wider lines (only with an explicit {@code --width}, or for the 192 pixel classifier)
 * are squeezed horizontally to the width, so no text is cut off (see
 * {@link TextLineRenderer#toRecognizerInput(BufferedImage, int)}).
 */
@Command(
        name = "ocr-lines",
        mixinStandardHelpOptions = true,
        description = {
            "Draws package synopses from the Debian package database (/var/lib/dpkg/status), sorted by package "
                    + "name, as dark text lines on white and writes them as one float32 .npy array for "
                    + "'quantfleet apply --calibration-data' on a PaddleOCR model: [count, 3, 48, width] for the "
                    + "text line recognizer, or [count, 3, 48, 192] with --classifier. Channels are BGR, values "
                    + "(x / 255 - 0.5) / 0.5. Lines wider than --width are squeezed to it, narrower ones padded "
                    + "with 0 on the right.",
            "The file also serves as 'quantfleet quantize --calibration-data' or '--eval-data'; draw the two with "
                    + "--skip so that they do not share lines.",
            "Labels for 'quantize --metric accuracy --eval-labels FILE' on --classifier data: one label per line "
                    + "of the .npy file, 0 for an upright line and 1 for a turned one, so 0, 1, 0, 1, ... whatever "
                    + "--skip is. For --count 32: seq 0 31 | awk '{print $1 %% 2}' > labels.txt",
            "Labels for 'quantize --metric cer' or '--metric exact-match' on recognizer data: add --text-labels FILE "
                    + "--dictionary ppocr_keys_v1.txt, which writes the drawn texts with the recognizer's dictionary.",
        })
final class OcrLinesCommand implements Callable<Integer> {

    /** Largest array written, in float32 values (1 GiB of data). */
    static final long MAX_VALUES = 1L << 28;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .npy file to write.")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "32",
            description = "Number of text lines to draw (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0",
            description = "Number of synopses to leave out at the start, for example to keep calibration and "
                    + "evaluation lines apart (default: ${DEFAULT-VALUE}).")
    int skip;

    @Option(names = "--width", paramLabel = "PIXELS",
            description = "Width of every line for the recognizer, a multiple of 8; wider lines are squeezed to "
                    + "it (default: the widest drawn line rounded up to a multiple of 8, at least "
                    + TextLineRenderer.MIN_WIDTH + ", so no line is squeezed). Not allowed with --classifier, "
                    + "whose width is " + TextLineRenderer.CLASSIFIER_WIDTH + ".")
    Integer width;

    @Option(names = "--hard",
            description = "Draw smaller, blurred, darkened and noisy text instead of sharp black text.")
    boolean hard;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the --hard pixel noise; line i (from 0) uses seed N + i (default: 0). "
                    + "Requires --hard.")
    Long seed;

    @Option(names = "--classifier",
            description = "Write input for the text orientation classifier: [count, 3, 48, "
                    + TextLineRenderer.CLASSIFIER_WIDTH + "], every second line (the 2nd, 4th, ...) turned by "
                    + "180 degrees, matching the classifier's classes 0 (upright) and 1 (turned by 180 degrees).")
    boolean classifier;

    @Option(names = "--text-labels", paramLabel = "FILE",
            description = "Also write the drawn texts as a text labels file for 'quantize --metric cer' or "
                    + "'--metric exact-match' (first line '" + TextLabels.MAGIC + "'). Needs --dictionary; not allowed "
                    + "with --classifier.")
    Path textLabels;

    @Option(names = "--dictionary", paramLabel = "FILE",
            description = "The recognizer's character list for --text-labels, one character per line, such as "
                    + "PaddleOCR's ppocr_keys_v1.txt; a space is added as the last class, as PaddleOCR adds it.")
    Path dictionary;

    @Option(names = "--status-file", paramLabel = "FILE", defaultValue = "/var/lib/dpkg/status",
            description = "dpkg status database to read (default: ${DEFAULT-VALUE}).")
    Path statusFile;

    @Override
    public Integer call() {
        validateWidth();
        validateTextLabels();
        Inputs.requireAtLeast(spec, "--count", count, 1);
        Inputs.requireAtLeast(spec, "--skip", skip, 0);
        if (seed != null && !hard) {
            throw new ParameterException(spec.commandLine(),
                    "--seed " + seed + " has no effect without --hard; add --hard or leave out --seed");
        }
        Inputs.requireWritableOutput(spec, "--out", out, statusFile);

        List<String> synopses = TextsCommand.readDescriptions(statusFile).stream()
                .map(PackageDescription::synopsis)
                .filter(synopsis -> !synopsis.isBlank())
                .toList();
        if (skip >= synopses.size()) {
            throw new InvalidInputException("--skip " + skip + " leaves no lines: " + statusFile + " has "
                    + synopses.size() + " package synopses; pass a smaller --skip");
        }
        List<String> texts = synopses.subList(skip, Math.min(synopses.size(), skip + count));

        TextLineRenderer renderer = new TextLineRenderer();
        List<BufferedImage> lines = new ArrayList<>();
        for (int index = 0; index < texts.size(); index++) {
            lines.add(renderer.draw(texts.get(index), options(index)));
        }
        int lineWidth = lineWidth(lines);
        long valuesPerLine = 3L * TextLineRenderer.HEIGHT * lineWidth;
        if (lines.size() * valuesPerLine > MAX_VALUES) {
            throw new InvalidInputException(lines.size() + " lines of width " + lineWidth + " make "
                    + lines.size() * valuesPerLine + " values, above the limit of " + MAX_VALUES
                    + " (1 GiB); pass a smaller --count or --width");
        }
        long[] shape = {lines.size(), 3, TextLineRenderer.HEIGHT, lineWidth};
        write(shape, toTensor(lines, lineWidth, Math.toIntExact(valuesPerLine)));
        long squeezed = lines.stream().filter(line -> line.getWidth() > lineWidth).count();
        report(texts.size(), synopses.size(), shape, squeezed);
        if (textLabels != null) {
            writeTextLabels(texts);
        }
        return 0;
    }

    private void validateTextLabels() {
        if (textLabels == null && dictionary == null) {
            return;
        }
        if (classifier) {
            throw new ParameterException(spec.commandLine(), "--text-labels and --dictionary are for recognizer lines, "
                    + "but --classifier was given; write the classifier's labels as 0, 1, 0, 1, ... instead");
        }
        if (textLabels == null || dictionary == null) {
            throw new ParameterException(spec.commandLine(), "--text-labels and --dictionary go together: pass both, "
                    + "e.g. --text-labels labels.txt --dictionary models/paddleocr/ppocr_keys_v1.txt");
        }
        if (!Files.isRegularFile(dictionary)) {
            throw new InvalidInputException("Invalid value for --dictionary: '" + dictionary + "' is not a file; pass "
                    + "the recognizer's character list, such as ppocr_keys_v1.txt");
        }
        Inputs.requireWritableOutput(spec, "--text-labels", textLabels, statusFile);
    }

    private void writeTextLabels(List<String> texts) {
        try {
            List<String> characters = CtcGreedyDecoder.paddleOcrCharacters(dictionary);
            new TextLabels(texts, characters, CtcGreedyDecoder.Blank.FIRST).write(textLabels);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write " + textLabels + " from the dictionary " + dictionary + ": "
                    + e + ". Pass a readable --dictionary and a writable --text-labels path.", e);
        }
        spec.commandLine().getOut().println("Wrote the " + texts.size() + " texts with the dictionary of "
                + dictionary + " to " + textLabels);
    }

    private void validateWidth() {
        if (width == null) {
            return;
        }
        if (classifier) {
            throw new ParameterException(spec.commandLine(), "--width " + width + " cannot be combined with "
                    + "--classifier, whose input is always " + TextLineRenderer.CLASSIFIER_WIDTH
                    + " pixels wide; leave out --width");
        }
        if (width < 8 || width % 8 != 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for --width: " + width
                    + "; expected a multiple of 8 that is 8 or more (the recognizer reads 8 pixel wide columns), "
                    + "for example " + TextLineRenderer.MIN_WIDTH);
        }
    }

    /** Returns the array width: the classifier's, --width, or the widest line's rounded up to a multiple of 8. */
    private int lineWidth(List<BufferedImage> lines) {
        if (classifier) {
            return TextLineRenderer.CLASSIFIER_WIDTH;
        }
        if (width != null) {
            return width;
        }
        int widest = lines.stream().mapToInt(BufferedImage::getWidth).max().orElse(0);
        return Math.max(TextLineRenderer.MIN_WIDTH, (widest + 7) / 8 * 8);
    }

    private float[] toTensor(List<BufferedImage> lines, int lineWidth, int valuesPerLine) {
        float[] values = new float[lines.size() * valuesPerLine];
        for (int index = 0; index < lines.size(); index++) {
            BufferedImage line = lines.get(index);
            float[] item = classifier
                    ? TextLineRenderer.toClassifierInput(index % 2 == 1 ? TextLineRenderer.rotate180(line) : line)
                    : TextLineRenderer.toRecognizerInput(line, lineWidth);
            System.arraycopy(item, 0, values, index * valuesPerLine, valuesPerLine);
        }
        return values;
    }

    private Options options(int index) {
        if (!hard) {
            return Options.clean();
        }
        return Options.hard(firstSeed() + index);
    }

    private long firstSeed() {
        return seed == null ? 0 : seed;
    }

    private void write(long[] shape, float[] values) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            NpyWriter.writeFloats(out, shape, values);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write " + out + ": " + e + ". Pass a writable path to --out.", e);
        }
    }

    private void report(int written, int available, long[] shape, long squeezedCount) {
        var printer = spec.commandLine().getOut();
        String hardness = hard ? ", hard, seeds " + firstSeed() + " and up" : "";
        printer.println("Wrote " + written + " text lines to " + out + " as float32 [" + shape[0] + ", 3, "
                + shape[2] + ", " + shape[3] + "]" + (classifier ? " for the orientation classifier" : "")
                + " (synopses " + (skip + 1) + " to " + (skip + written) + " of " + available + " in "
                + statusFile + hardness + ")");
        if (squeezedCount > 0) {
            printer.println(squeezedCount + " of " + written + " lines were wider than " + shape[3]
                    + " pixels and were squeezed to fit");
        }
        if (classifier && written > 1) {
            printer.println("Lines 2, 4, ... are turned by 180 degrees");
        }
        if (written < count) {
            printer.println("Note: " + count + " lines were requested, but only " + written
                    + " synopses remain after --skip " + skip);
        }
    }
}
