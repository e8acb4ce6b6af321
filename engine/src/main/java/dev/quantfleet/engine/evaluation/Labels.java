package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.NpyHeader;
import dev.quantfleet.engine.data.TextPairs.TextPair;
import dev.quantfleet.engine.onnx.ElementType;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Targets that task metrics score against: integer class labels (one per sample), reference texts
 * of a text recognizer (one per sample, with its character dictionary), and the query/document
 * pairs of a {@code .tsv} data file. Any may be absent; a labels file gives either classes or texts.
 *
 * @param classes class label per sample, or null when no labels file of classes was given
 * @param pairs   query/document pairs, or null when the data are not pairs
 * @param texts   reference texts and dictionary, or null when no text labels file was given
 */
public record Labels(long[] classes, List<TextPair> pairs, TextLabels texts) {

    public Labels {
        classes = classes == null ? null : classes.clone();
        pairs = pairs == null ? null : List.copyOf(pairs);
    }

    /** Labels without reference texts. */
    public Labels(long[] classes, List<TextPair> pairs) {
        this(classes, pairs, null);
    }

    /** Returns a copy of the class labels, or null. */
    @Override
    public long[] classes() {
        return classes == null ? null : classes.clone();
    }

    /** No labels at all. */
    public static Labels none() {
        return new Labels(null, null);
    }

    public static Labels ofClasses(long[] classes) {
        return new Labels(classes, null);
    }

    public static Labels ofPairs(List<TextPair> pairs) {
        return new Labels(null, pairs);
    }

    public static Labels ofTexts(TextLabels texts) {
        return new Labels(null, null, texts);
    }

    /** Returns the number of labelled samples: class labels or reference texts; 0 when there are neither. */
    public int labelledSampleCount() {
        if (classes != null) {
            return classes.length;
        }
        return texts == null ? 0 : texts.texts().size();
    }

    /**
     * Returns the class labels, checked against the number of evaluated samples.
     *
     * @throws IllegalArgumentException if there are none or their count differs from {@code sampleCount}
     */
    public long[] requireClasses(String metricName, int sampleCount) {
        requireClasses(metricName);
        if (classes.length != sampleCount) {
            throw new IllegalArgumentException("Metric '" + metricName + "' needs one label per sample, but there are "
                    + classes.length + " labels and " + sampleCount + " samples");
        }
        return classes.clone();
    }

    /**
     * Returns the reference texts and dictionary, checked against the number of evaluated samples.
     *
     * @throws IllegalArgumentException if there are none or their count differs from {@code sampleCount}
     */
    public TextLabels requireTexts(String metricName, int sampleCount) {
        requireTexts(metricName);
        if (texts.texts().size() != sampleCount) {
            throw new IllegalArgumentException("Metric '" + metricName + "' needs one reference text per sample, but "
                    + "there are " + texts.texts().size() + " texts and " + sampleCount + " samples");
        }
        return texts;
    }

    /**
     * Checks that there are class labels, as {@link #requireClasses(String, int)} does before it
     * reads the sample count.
     *
     * @throws IllegalArgumentException if there are none, naming the labels found instead
     */
    public void requireClasses(String metricName) {
        if (classes == null) {
            throw new IllegalArgumentException("Metric '" + metricName + "' needs class labels; pass a labels file "
                    + "(.npy of int64 or int32, or text with one integer per line)"
                    + (texts == null ? "" : ", not reference texts"));
        }
    }

    /**
     * Checks that there are reference texts, as {@link #requireTexts(String, int)} does before it
     * reads the sample count.
     *
     * @throws IllegalArgumentException if there are none, naming the labels found instead
     */
    public void requireTexts(String metricName) {
        if (texts == null) {
            throw new IllegalArgumentException("Metric '" + metricName + "' needs reference texts; pass a text "
                    + "labels file whose first line is '" + TextLabels.MAGIC + "' (README.md, section \"Searching the "
                    + "recognizer for its character error rate\", describes the format)"
                    + (classes == null ? "" : ", not class labels"));
        }
    }

    /**
     * Returns the query/document pairs, checked against the number of evaluated samples (two per pair).
     *
     * @throws IllegalArgumentException if the data are not pairs or the counts differ
     */
    public List<TextPair> requirePairs(String metricName, int sampleCount) {
        if (pairs == null) {
            throw new IllegalArgumentException("Metric '" + metricName + "' needs query/document pairs; pass the "
                    + "evaluation data as a .tsv file with one 'query<TAB>document' pair per line");
        }
        if (2 * pairs.size() != sampleCount) {
            throw new IllegalArgumentException("Metric '" + metricName + "' needs two samples per pair, but there are "
                    + pairs.size() + " pairs and " + sampleCount + " samples");
        }
        return pairs;
    }

    /**
     * Reads a labels file: a {@link TextLabels} file when its first line is {@value TextLabels#MAGIC},
     * class labels otherwise (see {@link #readClasses}). The content decides, not the file name, so
     * a labels file stored under a content hash reads the same.
     *
     * @throws InvalidDataException if the file breaks the format it claims
     */
    public static Labels read(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")
                && TextLabels.isTextLabelsFile(file)) {
            return ofTexts(TextLabels.read(file));
        }
        return ofClasses(readClasses(file));
    }

    /**
     * Reads class labels: a {@code .npy} array of int64 or int32 with one label per sample (shape
     * {@code [n]} or {@code [n, 1]}), or any other file as UTF-8 text with one integer per
     * non-blank line.
     *
     * @throws InvalidDataException if the file has another element type, shape or a line that is no integer
     */
    public static long[] readClasses(Path file) {
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                return readNpy(file);
            }
            return readText(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the labels file " + file, e);
        }
    }

    private static long[] readNpy(Path file) throws IOException {
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file))) {
            NpyHeader header = NpyHeader.read(stream, file.toString());
            long[] shape = header.shape();
            boolean oneLabelPerRow = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
            if (!oneLabelPerRow) {
                throw new InvalidDataException("Labels file " + file + " has shape " + java.util.Arrays.toString(shape)
                        + "; it must be [n] or [n, 1], one label per sample");
            }
            ElementType type = header.elementType();
            if (type != ElementType.INT64 && type != ElementType.INT32) {
                throw new InvalidDataException("Labels file " + file + " contains " + type.name().toLowerCase(Locale.ROOT)
                        + " values; it must hold int64 or int32 class indices");
            }
            int count = Math.toIntExact(shape[0]);
            byte[] bytes = new DataInputStream(stream).readNBytes(count * header.itemBytes());
            if (bytes.length != count * header.itemBytes()) {
                throw new InvalidDataException("Labels file " + file + " ends after " + bytes.length + " data bytes; "
                        + "its header promises " + count + " labels of " + header.itemBytes() + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(header.byteOrder());
            long[] labels = new long[count];
            for (int index = 0; index < count; index++) {
                labels[index] = type == ElementType.INT64 ? buffer.getLong() : buffer.getInt();
            }
            return labels;
        }
    }

    private static long[] readText(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Long> labels = new ArrayList<>();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                labels.add(Long.parseLong(line));
            } catch (NumberFormatException e) {
                throw new InvalidDataException("Line " + (index + 1) + " of the labels file " + file + " is '" + line
                        + "', not an integer; write one integer class index per line, or for the reference texts of "
                        + "a text recognizer start the file with the line '" + TextLabels.MAGIC + "'", e);
            }
        }
        return labels.stream().mapToLong(Long::longValue).toArray();
    }
}
