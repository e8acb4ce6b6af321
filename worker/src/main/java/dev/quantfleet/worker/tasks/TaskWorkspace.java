package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.TaskArtifacts;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.job.TaskFiles;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.StringStringEntryProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of one task: the task's artifacts under the names the engine reads them by, and
 * an {@code out} folder for the files the task produces. {@link #close} deletes it all.
 *
 * <pre>
 *   model/model.onnx, model/&lt;external data location&gt;
 *   calibration/&lt;fileName&gt;, calibration/tokenizer.json
 *   evaluation/&lt;fileName&gt;, evaluation/tokenizer.json, evaluation/labels.&lt;npy or txt&gt;
 *   round0/calibration-statistics.json, round0/reference-outputs.npz
 *   out/
 * </pre>
 */
final class TaskWorkspace implements AutoCloseable {

    private static final Pattern SHA256_NAME = Pattern.compile("[0-9a-f]{64}");
    private static final byte[] NUMPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final Path root;
    private final ArtifactCache cache;

    private TaskWorkspace(Path root, ArtifactCache cache) {
        this.root = root;
        this.cache = cache;
    }

    /** Creates an empty workspace below {@code parent}. */
    static TaskWorkspace create(Path parent, ArtifactCache cache) throws IOException {
        Files.createDirectories(parent);
        Path root = Files.createTempDirectory(parent, "task-");
        Files.createDirectories(root.resolve("out"));
        return new TaskWorkspace(root, cache);
    }

    Path outputDirectory() {
        return root.resolve("out");
    }

    /** Fetches every artifact of {@code artifacts} and returns the paths the engine reads. */
    TaskFiles fetch(TaskArtifacts artifacts) throws IOException {
        Path model = fetchModel(artifacts.model());
        Path calibration = fetchData(artifacts.calibrationData(), "calibration");
        Path evaluation = fetchData(artifacts.evaluationData(), "evaluation");
        Path labels = artifacts.labels() == null ? null : fetchLabels(artifacts.labels());
        Path statistics = artifacts.calibrationStatistics() == null ? null
                : cache.materialize(artifacts.calibrationStatistics(),
                        root.resolve("round0").resolve("calibration-statistics.json"));
        Path reference = artifacts.referenceOutputs() == null ? null
                : cache.materialize(artifacts.referenceOutputs(), root.resolve("round0").resolve("reference-outputs.npz"));
        return new TaskFiles(model, calibration, textOptions(artifacts.calibrationData(), "calibration"), evaluation,
                labels, textOptions(artifacts.evaluationData(), "evaluation"), statistics, reference);
    }

    private Path fetchModel(ModelReference reference) throws IOException {
        Path folder = root.resolve("model");
        Path model = cache.materialize(reference.onnx(), folder.resolve("model.onnx"));
        List<ArtifactRef> externalData = reference.externalData() == null ? List.of() : reference.externalData();
        if (externalData.isEmpty()) {
            return model;
        }
        List<String> locations = externalLocations(model);
        for (ArtifactRef data : externalData) {
            cache.materialize(data, folder.resolve(externalDataName(data, locations, externalData.size())));
        }
        return model;
    }

    private Path fetchData(DataReference reference, String folderName) throws IOException {
        Path folder = root.resolve(folderName);
        Path data = cache.materialize(reference.data(), folder.resolve(reference.fileName()));
        if (reference.tokenizer() != null) {
            cache.materialize(reference.tokenizer(), folder.resolve("tokenizer.json"));
        }
        return data;
    }

    private TextOptions textOptions(DataReference reference, String folderName) {
        if (reference.tokenizer() == null) {
            return null;
        }
        Path tokenizer = root.resolve(folderName).resolve("tokenizer.json");
        int maxLength = reference.maxLength() == null ? TextOptions.DEFAULT_MAX_LENGTH : reference.maxLength();
        return new TextOptions(tokenizer, maxLength, false);
    }

    /**
     * Returns the file name an external data file needs beside the model: the last segment of
     * its key, unless that is the bare hash of a content key. Then it is the one location the model
     * refers to.
     */
    private static String externalDataName(ArtifactRef data, List<String> locations, int refCount) {
        String lastSegment = data.key().substring(data.key().lastIndexOf('/') + 1);
        if (!SHA256_NAME.matcher(lastSegment).matches()) {
            return lastSegment;
        }
        if (locations.size() == 1 && refCount == 1) {
            return locations.get(0);
        }
        throw new IllegalArgumentException("External data " + data.key() + " has no file name in its key, and the "
                + "model refers to the locations " + locations + "; upload external data under keys that end with "
                + "the location the model names, e.g. .../model.onnx.data");
    }

    /** Returns the distinct external data locations of the main graph's initializers, sorted. */
    private static List<String> externalLocations(Path modelFile) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(modelFile)) {
            model = ModelProto.parseFrom(in);
        }
        TreeSet<String> locations = new TreeSet<>();
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                for (StringStringEntryProto entry : tensor.getExternalDataList()) {
                    if ("location".equals(entry.getKey())) {
                        locations.add(entry.getValue());
                    }
                }
            }
        }
        return new ArrayList<>(locations);
    }

    /**
     * Fetches the labels under a name whose extension selects their reader: the key's last
     * segment, or for a content key {@code labels.npy} when the file starts with the NumPy magic
     * string and {@code labels.txt} otherwise.
     */
    private Path fetchLabels(ArtifactRef labels) throws IOException {
        Path folder = root.resolve("evaluation");
        String lastSegment = labels.key().substring(labels.key().lastIndexOf('/') + 1);
        if (!SHA256_NAME.matcher(lastSegment).matches()) {
            return cache.materialize(labels, folder.resolve(lastSegment));
        }
        Path fetched = cache.materialize(labels, folder.resolve("labels.download"));
        byte[] head;
        try (InputStream in = Files.newInputStream(fetched)) {
            head = in.readNBytes(NUMPY_MAGIC.length);
        }
        Path named = folder.resolve(Arrays.equals(head, NUMPY_MAGIC) ? "labels.npy" : "labels.txt");
        return Files.move(fetched, named);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to delete the task folder " + root, e);
        }
    }
}
