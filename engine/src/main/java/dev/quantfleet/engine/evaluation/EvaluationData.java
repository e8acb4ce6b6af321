package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.SampleSource;
import dev.quantfleet.engine.data.SampleSources;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.data.TextPairs;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Evaluation samples and their labels. The samples are opened with {@link SampleSources#open}
 * (a {@code .tsv} file of query/document pairs included), and the pairs of a {@code .tsv} file
 * are also kept as {@link Labels#pairs()}. The caller closes the data.
 *
 * <p>The content hash is a SHA-256, in lower-case hex, over the data file's bytes (for a folder,
 * each regular file's relative path and bytes, in path order), the labels file's bytes, and the
 * tokenizer settings (the tokenizer file's bytes, the maximum length and the padding flag), each
 * part preceded by a tag, so that equal hashes mean equal evaluation inputs.
 */
public final class EvaluationData implements AutoCloseable {

    private final SampleSource samples;
    private final Labels labels;
    private final String contentHash;

    private EvaluationData(SampleSource samples, Labels labels, String contentHash) {
        this.samples = samples;
        this.labels = labels;
        this.contentHash = contentHash;
    }

    /**
     * Opens evaluation data for {@code model}.
     *
     * @param data        samples in any form {@link SampleSources} reads, or a {@code .tsv} pairs file
     * @param labelsFile  class labels or reference texts (see {@link Labels#read}), or null
     * @param textOptions tokenizer settings for text data, or null
     * @throws dev.quantfleet.engine.data.InvalidDataException if the data or labels cannot be read,
     *     or the label count differs from the sample count
     */
    public static EvaluationData open(Path data, Path labelsFile, ModelProto model, TextOptions textOptions) {
        Labels fileLabels = labelsFile == null ? Labels.none() : Labels.read(labelsFile);
        List<TextPairs.TextPair> pairs = Files.isRegularFile(data) && TextPairs.isPairsFile(data)
                ? TextPairs.read(data) : null;
        String hash = contentHash(data, labelsFile, textOptions);
        SampleSource samples = SampleSources.open(data, model, textOptions);
        try {
            if (labelsFile != null) {
                requireLabelCount(fileLabels.labelledSampleCount(), samples, data, labelsFile);
            }
        } catch (RuntimeException e) {
            samples.close();
            throw e;
        }
        return new EvaluationData(samples, new Labels(fileLabels.classes(), pairs, fileLabels.texts()), hash);
    }

    public SampleSource samples() {
        return samples;
    }

    public Labels labels() {
        return labels;
    }

    /** SHA-256 of the data, labels and tokenizer settings, as the class comment defines. */
    public String contentHash() {
        return contentHash;
    }

    @Override
    public void close() {
        samples.close();
    }

    private static void requireLabelCount(int labelCount, SampleSource samples, Path data, Path labelsFile) {
        int sampleCount = samples.size();
        if (sampleCount == SampleSource.UNKNOWN_SIZE) {
            sampleCount = 0;
            for (var ignored : samples) {
                sampleCount++;
            }
        }
        if (sampleCount != labelCount) {
            throw new dev.quantfleet.engine.data.InvalidDataException("The labels file " + labelsFile + " has "
                    + labelCount + " labels, but the data " + data + " has " + sampleCount
                    + " samples; give exactly one label per sample");
        }
    }

    /**
     * Returns the SHA-256 (hex) of data files, a labels file (or null) and tokenizer settings (or
     * null), as {@link #contentHash()} computes it; also used for calibration data.
     */
    public static String contentHash(Path data, Path labelsFile, TextOptions textOptions) {
        MessageDigest digest = sha256();
        update(digest, "data");
        if (Files.isDirectory(data)) {
            for (Path file : filesIn(data)) {
                update(digest, data.relativize(file).toString());
                updateWithFile(digest, file);
            }
        } else {
            updateWithFile(digest, data);
        }
        update(digest, "labels");
        if (labelsFile != null) {
            updateWithFile(digest, labelsFile);
        }
        update(digest, "tokenizer");
        if (textOptions != null) {
            updateWithFile(digest, textOptions.tokenizer());
            update(digest, textOptions.maxLength() + "," + textOptions.padToMaxLength());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Path> filesIn(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list " + folder, e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static void updateWithFile(MessageDigest digest, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            update(digest, Long.toString(Files.size(file)));
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file + " for the evaluation data hash", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }
}
