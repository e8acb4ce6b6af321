package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Opens sample data for a model, choosing the reader by file extension or folder layout:
 * <table>
 *   <caption>Supported data</caption>
 *   <tr><th>path</th><th>reader</th></tr>
 *   <tr><td>{@code *.npz}</td><td>one array per model input, entries named after the inputs</td></tr>
 *   <tr><td>{@code *.npy}</td><td>one array: the model's only required input, or the input named
 *       like the file stem</td></tr>
 *   <tr><td>{@code *.tsv} with text options</td><td>query/document pairs, two text samples per
 *       line (see {@link TextPairs})</td></tr>
 *   <tr><td>{@code *.txt}, {@code *.text}, or any other file when text options are given</td><td>one text
 *       sample per non-blank line, tokenized</td></tr>
 *   <tr><td>folder with {@code input_N.pb} or {@code test_data_set_N/}</td><td>ONNX test-data
 *       layout</td></tr>
 *   <tr><td>folder with {@code *.npy}</td><td>one array per model input, files named after the
 *       inputs</td></tr>
 * </table>
 * Every sample is checked with {@link DataValidator} as it is read, and the first sample is read
 * and checked before {@code open} returns, so that data of the wrong form fails early. Data with
 * no sample at all (an empty or blank text file, an array whose first axis is 0) is rejected there
 * too, because calibrating on nothing gives every activation a meaningless range.
 *
 * <p>NOTE: {@code Calibrator.calibrate} itself accepts a source without samples, so callers that
 * build a {@link SampleSource} another way must check for at least one sample themselves.
 */
public final class SampleSources {

    private SampleSources() {
    }

    /**
     * Opens {@code data} for {@code model}.
     *
     * @param textOptions tokenizer settings for text data; null if the data is not text
     * @throws InvalidDataException if the data cannot be read, contains no sample, or its first
     *     sample does not fit the model
     */
    public static SampleSource open(Path data, ModelProto model, TextOptions textOptions) {
        List<ModelInput> inputs = ModelInput.of(model);
        SampleSource reader = openReader(data, inputs, textOptions);
        SampleSource validated = new ValidatedSampleSource(reader, new DataValidator(inputs));
        try {
            Iterator<Sample> first = validated.iterator();
            if (!first.hasNext()) {
                throw new InvalidDataException("no samples in " + data + "; at least one sample is needed (a "
                        + "non-blank text line, an array whose first axis is 1 or more, or an input_N.pb file)");
            }
            first.next();
        } catch (RuntimeException e) {
            validated.close();
            throw e;
        }
        return validated;
    }

    private static SampleSource openReader(Path data, List<ModelInput> inputs, TextOptions textOptions) {
        if (!Files.exists(data)) {
            throw new InvalidDataException("Data path " + data + " does not exist");
        }
        if (Files.isDirectory(data)) {
            return openFolder(data, inputs);
        }
        String fileName = data.getFileName().toString().toLowerCase(Locale.ROOT);
        if (fileName.endsWith(".npz")) {
            return new NumpySampleSource(data.toString(), NumpySampleSource.npz(data), inputs);
        }
        if (fileName.endsWith(".npy")) {
            String name = singleArrayInputName(data, inputs);
            return new NumpySampleSource(data.toString(), NumpySampleSource.files(Map.of(name, data)),
                    inputs);
        }
        if (fileName.endsWith(TextPairs.EXTENSION)) {
            if (textOptions == null) {
                throw new InvalidDataException(data + " contains query/document text pairs, which need a tokenizer; "
                        + "pass a tokenizer (a Hugging Face tokenizer.json)");
            }
            return new TextSampleSource(data, inputs, textOptions, true);
        }
        if (textOptions != null || fileName.endsWith(".txt") || fileName.endsWith(".text")) {
            if (textOptions == null) {
                throw new InvalidDataException(data + " is text data, which needs a tokenizer; pass a tokenizer "
                        + "(a Hugging Face tokenizer.json)");
            }
            return new TextSampleSource(data, inputs, textOptions);
        }
        throw new InvalidDataException("Cannot tell the format of " + data + "; supported: .npz, .npy, text "
                + "(.txt, or any file with a tokenizer), a folder of .npy files, or an ONNX test-data folder with "
                + "input_N.pb files or test_data_set_N subfolders");
    }

    private static SampleSource openFolder(Path folder, List<ModelInput> inputs) {
        if (TestDataSampleSource.isTestDataFolder(folder)) {
            return new TestDataSampleSource(folder, inputs);
        }
        Map<String, Path> arrays = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> file.getFileName().toString().endsWith(".npy"))
                    .sorted()
                    .forEach(file -> arrays.put(stem(file), file));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list " + folder, e);
        }
        if (arrays.isEmpty()) {
            throw new InvalidDataException(folder + " contains no .npy files, no input_N.pb files and no "
                    + "test_data_set_N folders");
        }
        return new NumpySampleSource(folder.toString(), NumpySampleSource.files(arrays), inputs);
    }

    private static String singleArrayInputName(Path file, List<ModelInput> inputs) {
        List<ModelInput> required = ModelInput.required(inputs);
        if (required.size() == 1) {
            return required.get(0).name();
        }
        String stem = stem(file);
        if (inputs.stream().noneMatch(input -> input.name().equals(stem))) {
            throw new InvalidDataException(file + " contains one array, but the model has " + required.size()
                    + " required inputs and none is named '" + stem + "'; use a .npz with one array per input. "
                    + "Model inputs: " + ModelInput.describeAll(inputs));
        }
        return stem;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Checks every sample of a reader with a {@link DataValidator} as it passes. */
    private record ValidatedSampleSource(SampleSource reader, DataValidator validator) implements SampleSource {

        @Override
        public int size() {
            return reader.size();
        }

        @Override
        public String description() {
            return reader.description();
        }

        @Override
        public Iterator<Sample> iterator() {
            Iterator<Sample> samples = reader.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return samples.hasNext();
                }

                @Override
                public Sample next() {
                    Sample sample = samples.next();
                    validator.validate(sample);
                    return sample;
                }
            };
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
