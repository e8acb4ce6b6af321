package dev.quantfleet.cli.fleet;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreException;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.StringStringEntryProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Uploads the inputs of a search to the artifact store and builds its {@link QuantizationRequest}.
 *
 * <p>Model, data and tokenizer go under their content keys ({@code <prefix>/sha256/<hex>}), so a
 * second upload of the same file stores nothing. External data files go under
 * {@code <prefix>/uploads/<model sha256>/<location>}, because a worker places each one beside
 * the model under the last segment of its key. Labels go under
 * {@code <prefix>/uploads/<labels sha256>/<file name>}, so that the coordinator's and the workers'
 * messages about them show the file name the user gave.
 */
public final class RequestUploader {

    /** The name under which a worker stores the tokenizer beside the data. */
    private static final String TOKENIZER_FILE_NAME = "tokenizer.json";

    private final ArtifactStore store;

    public RequestUploader(ArtifactStore store) {
        this.store = store;
    }

    /**
     * Uploads {@code inputs} and returns the request for them, with a new request id.
     *
     * @param source how the request was submitted, e.g. {@code cli}
     * @throws FleetException when an upload fails
     */
    public QuantizationRequest upload(FleetInputs inputs, RequestGoal goal, String strategy, RequestBudget budget,
                                      long seed, String source) {
        return upload(inputs, goal, strategy, budget, seed, List.of(), source);
    }

    /**
     * Uploads {@code inputs} and returns the request for them, with a new request id and
     * {@code warmStart} as the configurations evaluated in round 1.
     *
     * @param source how the request was submitted, e.g. {@code cli}
     * @throws FleetException when an upload fails
     */
    public QuantizationRequest upload(FleetInputs inputs, RequestGoal goal, String strategy, RequestBudget budget,
                                      long seed, List<QuantConfig> warmStart, String source) {
        ArtifactRef model = put(inputs.model());
        ModelReference modelReference = new ModelReference(modelName(inputs.model()), model.sha256().substring(0, 12),
                model, externalData(inputs.model(), model.sha256()));
        ArtifactRef tokenizer = inputs.tokenizer() == null ? null : put(inputs.tokenizer());
        DataReference calibration = data(inputs.calibrationData(), tokenizer, inputs.maxLength());
        DataReference evaluation = data(inputs.evaluationData(), tokenizer, inputs.maxLength());
        ArtifactRef labels = inputs.labels() == null ? null : putLabels(inputs.labels(), evaluation.fileName());
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, "cli-" + UUID.randomUUID(),
                modelReference, calibration, evaluation, labels, goal, strategy, budget, seed, null, warmStart,
                System.getProperty("user.name"), source, System.currentTimeMillis());
    }

    private DataReference data(Path file, ArtifactRef tokenizer, Integer maxLength) {
        return new DataReference(put(file), file.getFileName().toString(), tokenizer, tokenizer == null ? null
                : maxLength);
    }

    /**
     * Uploads the labels under their file name, or under their content key when the name cannot be
     * a key segment or would collide with the evaluation data or tokenizer in a worker's task folder.
     */
    private ArtifactRef putLabels(Path file, String evaluationFileName) {
        String fileName = file.getFileName().toString();
        boolean nameUsable = !fileName.equals(evaluationFileName) && !fileName.equals(TOKENIZER_FILE_NAME)
                && !fileName.matches("[0-9a-f]{64}") && fileName.chars().noneMatch(c -> c == '\\'
                || Character.isISOControl(c));
        if (!nameUsable) {
            return put(file);
        }
        try {
            return store.putNamed("uploads/" + sha256(file) + "/" + fileName, file);
        } catch (ArtifactStoreException e) {
            throw new FleetException("Uploading " + file + " to the artifact store (bucket "
                    + store.config().bucket() + " at " + store.config().endpoint() + ") failed: " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new FleetException("Cannot read " + file + " to compute its SHA-256: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    private ArtifactRef put(Path file) {
        try {
            return store.putContent(file);
        } catch (ArtifactStoreException e) {
            throw new FleetException("Uploading " + file + " to the artifact store (bucket "
                    + store.config().bucket() + " at " + store.config().endpoint() + ") failed: " + e.getMessage(), e);
        }
    }

    /** Uploads the external data files the model's initializers name, sorted by location. */
    private List<ArtifactRef> externalData(Path modelFile, String modelSha256) {
        List<ArtifactRef> refs = new ArrayList<>();
        Path folder = modelFile.toAbsolutePath().getParent();
        List<String> locations;
        try {
            locations = externalDataLocations(modelFile);
        } catch (IOException e) {
            throw new FleetException("Cannot read model " + modelFile + " as ONNX: " + e.getMessage(), e);
        }
        for (String location : locations) {
            Path file = folder.resolve(location).normalize();
            if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                throw new FleetException("Model " + modelFile + " names the external data file '" + location
                        + "', which is not a file in " + folder + "; put it beside the model");
            }
            try {
                refs.add(store.putNamed("uploads/" + modelSha256 + "/" + location, file));
            } catch (ArtifactStoreException e) {
                throw new FleetException("Uploading " + file + " to the artifact store failed: " + e.getMessage(), e);
            }
        }
        return refs;
    }

    /**
     * Returns the distinct external data locations of the main graph's initializers, sorted; empty
     * when the weights are inside the model file.
     *
     * @throws IOException when the file cannot be read or is not an ONNX model
     */
    public static List<String> externalDataLocations(Path modelFile) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(modelFile)) {
            model = ModelProto.parseFrom(in);
        }
        TreeSet<String> locations = new TreeSet<>();
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            if (tensor.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            for (StringStringEntryProto entry : tensor.getExternalDataList()) {
                if ("location".equals(entry.getKey())) {
                    locations.add(entry.getValue());
                }
            }
        }
        return List.copyOf(locations);
    }

    /** Returns the file name without {@code .onnx}, with characters other than letters, digits, '.', '_' and '-' as '-'. */
    static String modelName(Path modelFile) {
        String name = modelFile.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            name = name.substring(0, name.length() - ".onnx".length());
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[.-]+", "");
        return cleaned.isEmpty() ? "model" : cleaned;
    }
}
