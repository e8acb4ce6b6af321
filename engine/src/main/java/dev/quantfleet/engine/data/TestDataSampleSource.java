package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Samples in the ONNX test-data layout: serialized {@link TensorProto} files {@code input_0.pb},
 * {@code input_1.pb} ..., either directly in the folder (one sample) or in subfolders
 * {@code test_data_set_0}, {@code test_data_set_1} ... (one sample each, in numeric order).
 * Other files, such as the {@code output_N.pb} reference outputs, are ignored.
 *
 * <p>A tensor with a {@code name} goes to the model input of that name, and a name that matches
 * no model input is an error. A tensor without a name in {@code input_K.pb} goes to the K-th model
 * input without an initializer. Two tensors of one sample that feed the same input are an error.
 * Each sample's files are read when the iteration reaches it.
 */
final class TestDataSampleSource implements SampleSource {

    private static final Pattern INPUT_FILE = Pattern.compile("input_(\\d{1,9})\\.pb");
    private static final Pattern DATA_SET_FOLDER = Pattern.compile("test_data_set_(\\d{1,9})");

    private final Path folder;
    private final List<Path> sampleFolders;
    private final List<ModelInput> requiredInputs;
    private final List<ModelInput> allInputs;
    private final Set<String> inputNames;

    TestDataSampleSource(Path folder, List<ModelInput> inputs) {
        this.folder = folder;
        this.allInputs = List.copyOf(inputs);
        this.requiredInputs = ModelInput.required(inputs);
        this.inputNames = inputs.stream().map(ModelInput::name).collect(Collectors.toSet());
        this.sampleFolders = hasInputFiles(folder) ? List.of(folder) : dataSetFolders(folder);
        if (sampleFolders.isEmpty()) {
            throw new InvalidDataException(folder + " contains neither input_N.pb files nor test_data_set_N folders");
        }
    }

    /** Returns whether {@code folder} is in the test-data layout, either form. */
    static boolean isTestDataFolder(Path folder) {
        return hasInputFiles(folder) || !dataSetFolders(folder).isEmpty();
    }

    @Override
    public int size() {
        return sampleFolders.size();
    }

    @Override
    public String description() {
        return folder.toString();
    }

    @Override
    public Iterator<Sample> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < sampleFolders.size();
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(folder + " has only " + sampleFolders.size() + " samples");
                }
                return readSample(sampleFolders.get(next++));
            }
        };
    }

    @Override
    public void close() {
        // Files are opened and closed per sample.
    }

    private Sample readSample(Path sampleFolder) {
        Map<Integer, TensorProto> tensors = new TreeMap<>();
        for (Map.Entry<Integer, Path> file : inputFiles(sampleFolder).entrySet()) {
            tensors.put(file.getKey(), readTensor(file.getValue()));
        }
        Map<String, TensorValue> values = new LinkedHashMap<>();
        Map<String, Integer> positionsByInput = new LinkedHashMap<>();
        for (Map.Entry<Integer, TensorProto> entry : tensors.entrySet()) {
            int position = entry.getKey();
            String name = inputName(entry.getValue(), position, sampleFolder);
            Integer earlier = positionsByInput.putIfAbsent(name, position);
            if (earlier != null) {
                throw new InvalidDataException(sampleFolder.resolve("input_" + earlier + ".pb") + " and input_"
                        + position + ".pb both feed model input '" + name + "'; give each tensor the name of a "
                        + "different input");
            }
            values.put(name, decode(entry.getValue(), sampleFolder, position));
        }
        return new Sample(sampleFolder.toString(), values);
    }

    /** Returns the model input that a tensor feeds: the one it names, or the one at its position when unnamed. */
    private String inputName(TensorProto tensor, int position, Path sampleFolder) {
        String name = tensor.getName();
        if (name.isEmpty()) {
            return positionalName(position, sampleFolder);
        }
        if (!inputNames.contains(name)) {
            throw new InvalidDataException(sampleFolder.resolve("input_" + position + ".pb") + " contains tensor '"
                    + name + "', which is not a model input; rename the tensor after a model input, or clear its "
                    + "name to match it by position. Model inputs: " + ModelInput.describeAll(allInputs));
        }
        return name;
    }

    private String positionalName(int position, Path sampleFolder) {
        if (position >= requiredInputs.size()) {
            throw new InvalidDataException(sampleFolder.resolve("input_" + position + ".pb") + " has no name and no "
                    + "model input at position " + position + "; model inputs: "
                    + ModelInput.describeAll(requiredInputs));
        }
        return requiredInputs.get(position).name();
    }

    private static TensorValue decode(TensorProto tensor, Path sampleFolder, int position) {
        try {
            return TensorValue.fromTensorProto(tensor);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidDataException(sampleFolder.resolve("input_" + position + ".pb") + " cannot be used as "
                    + "sample data: " + e.getMessage(), e);
        }
    }

    private static TensorProto readTensor(Path file) {
        try (InputStream stream = Files.newInputStream(file)) {
            return TensorProto.parseFrom(stream);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new InvalidDataException(file + " is not a serialized TensorProto: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
    }

    private static boolean hasInputFiles(Path folder) {
        return !inputFiles(folder).isEmpty();
    }

    /** Lists the input_N.pb files of a folder by N. */
    private static Map<Integer, Path> inputFiles(Path folder) {
        Map<Integer, Path> files = new TreeMap<>();
        for (Path file : list(folder)) {
            Matcher matcher = INPUT_FILE.matcher(file.getFileName().toString());
            if (matcher.matches() && Files.isRegularFile(file)) {
                files.put(Integer.parseInt(matcher.group(1)), file);
            }
        }
        return files;
    }

    private static List<Path> dataSetFolders(Path folder) {
        Map<Integer, Path> folders = new TreeMap<>();
        for (Path child : list(folder)) {
            Matcher matcher = DATA_SET_FOLDER.matcher(child.getFileName().toString());
            if (matcher.matches() && Files.isDirectory(child) && hasInputFiles(child)) {
                folders.put(Integer.parseInt(matcher.group(1)), child);
            }
        }
        return new ArrayList<>(folders.values());
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list " + folder, e);
        }
    }
}
