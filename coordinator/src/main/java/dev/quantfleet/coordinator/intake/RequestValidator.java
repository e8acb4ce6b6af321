package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStoreException;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.coordinator.mapping.RequestMapping;
import dev.quantfleet.engine.search.ModelFacts;
import dev.quantfleet.engine.data.TextOptions;
import dev.quantfleet.engine.evaluation.MetricDirections;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.engine.search.SearchStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether the coordinator can run a request, in three stages that each stop the
 * validation when they find a problem:
 * <ol>
 *   <li>fields: strategy in {@link SearchStrategies#NAMES}, metric known to
 *       {@link MetricDirections}, pool served, trial budget between 1 and the limit;</li>
 *   <li>artifacts: every referenced object exists with the referenced SHA-256 and size, and
 *       within the size limits;</li>
 *   <li>content: the model loads within the limits, and the calibration and evaluation data (with
 *       labels and tokenizer) fit the model's inputs and the goal's metric, read with the engine's
 *       readers from downloaded copies ({@link DataCheck}).</li>
 * </ol>
 * Every reason names the field, the value and the fix; content reasons name the files as they were
 * submitted, not the local copies. Downloads go to the {@link ArtifactCache}, where the search's
 * later stages find them again.
 */
public final class RequestValidator {

    private static final Logger LOG = LoggerFactory.getLogger(RequestValidator.class);

    private final ArtifactCache cache;
    private final IntakeLimits limits;

    public RequestValidator(ArtifactCache cache, IntakeLimits limits) {
        this.cache = cache;
        this.limits = limits;
    }

    /**
     * Validates {@code request} fully. A problem of the request itself becomes a reason in the
     * decision, not an exception; a failing artifact store or local disk still throws.
     */
    public IntakeDecision validate(QuantizationRequest request) {
        List<String> reasons = checkFields(request);
        if (reasons.isEmpty()) {
            reasons = checkArtifacts(request);
        }
        if (!reasons.isEmpty()) {
            return IntakeDecision.reject(reasons);
        }
        List<String> contentReasons = new ArrayList<>();
        Optional<ModelProto> model = loadModel(request, contentReasons);
        if (model.isEmpty()) {
            return IntakeDecision.reject(contentReasons);
        }
        contentReasons.addAll(new DataCheck(this, request, model.get(), fetchModel(request)).reasons());
        if (!contentReasons.isEmpty()) {
            return IntakeDecision.reject(contentReasons);
        }
        return IntakeDecision.accept(new AcceptedRequest(request,
                RequestMapping.toSearchRequest(request, model.get(), executionProviderOf(request.pool())),
                ModelFacts.opTypesByNode(model.get())));
    }

    /**
     * Checks the fields that need no download: strategy, metric, pool and budget. Warm-start
     * configurations need no check here: the search drops those that do not fit the model.
     */
    public List<String> checkFields(QuantizationRequest request) {
        List<String> reasons = new ArrayList<>();
        if (!SearchStrategies.NAMES.contains(request.strategy())) {
            reasons.add("strategy '" + request.strategy() + "' is unknown; use one of " + SearchStrategies.NAMES);
        }
        try {
            MetricDirections.of(request.goal().metric());
        } catch (IllegalArgumentException e) {
            reasons.add("goal.metric: " + e.getMessage());
        }
        if (!limits.pools().contains(request.pool())) {
            reasons.add("pool '" + request.pool() + "' has no workers here; use one of " + limits.pools());
        }
        int maxTrials = request.budget().maxTrials();
        if (maxTrials < 1 || maxTrials > limits.maxTrials()) {
            reasons.add("budget.maxTrials is " + maxTrials + "; it must be between 1 and " + limits.maxTrials());
        }
        Long deadlineMs = request.budget().deadlineMs();
        if (deadlineMs != null && deadlineMs < 1) {
            reasons.add("budget.deadlineMs is " + deadlineMs + "; give 1 or more milliseconds, or leave it out");
        }
        return reasons;
    }

    /** Returns the ONNX Runtime execution provider that the workers of {@code pool} run. */
    static String executionProviderOf(String pool) {
        // NOTE: every pool is taken to run the CPU execution provider until pools declare theirs.
        return OrtSessions.CPU_EXECUTION_PROVIDER;
    }

    private List<String> checkArtifacts(QuantizationRequest request) {
        Map<String, ArtifactRef> refs = new LinkedHashMap<>();
        refs.put("model.onnx", request.model().onnx());
        for (int i = 0; i < request.model().externalData().size(); i++) {
            refs.put("model.externalData[" + i + "]", request.model().externalData().get(i));
        }
        putData(refs, "calibrationData", request.calibrationData());
        putData(refs, "evaluationData", request.evaluationData());
        if (request.labels() != null) {
            refs.put("labels", request.labels());
        }
        List<String> reasons = new ArrayList<>();
        refs.forEach((field, ref) -> checkArtifact(field, ref, reasons));
        long externalBytes = request.model().externalData().stream().mapToLong(ArtifactRef::sizeBytes).sum();
        if (externalBytes > limits.maxExternalBytes()) {
            reasons.add("model.externalData has " + externalBytes + " bytes in total, more than the limit of "
                    + limits.maxExternalBytes() + "; quantize a smaller model or raise the limit");
        }
        return reasons;
    }

    private static void putData(Map<String, ArtifactRef> refs, String field, DataReference data) {
        refs.put(field + ".data", data.data());
        if (data.tokenizer() != null) {
            refs.put(field + ".tokenizer", data.tokenizer());
        }
    }

    private void checkArtifact(String field, ArtifactRef ref, List<String> reasons) {
        long limit = field.equals("model.onnx") ? limits.maxModelBytes()
                : field.startsWith("model.") ? limits.maxExternalBytes() : limits.maxDataBytes();
        if (ref.sizeBytes() > limit) {
            reasons.add(field + " (" + ref.key() + ") has " + ref.sizeBytes() + " bytes, more than the limit of "
                    + limit + "; send a smaller file or raise the limit");
            return;
        }
        Optional<ArtifactRef> stored;
        try {
            stored = cache.store().find(ref.key());
        } catch (ArtifactStoreException | IllegalArgumentException e) {
            reasons.add(field + " (" + ref.key() + ") cannot be looked up: " + e.getMessage());
            return;
        }
        if (stored.isEmpty()) {
            reasons.add(field + " (" + ref.key() + ") is missing from the artifact store; upload it and send"
                    + " the reference the upload returned");
        } else if (!stored.get().sha256().equals(ref.sha256()) || stored.get().sizeBytes() != ref.sizeBytes()) {
            reasons.add(field + " (" + ref.key() + ") has SHA-256 " + stored.get().sha256() + " and "
                    + stored.get().sizeBytes() + " bytes, but the request says " + ref.sha256() + " and "
                    + ref.sizeBytes() + " bytes; send the reference of the stored object or upload the file again");
        }
    }

    /** Downloads and parses the model; adds the reason and returns empty when it cannot be read. */
    private Optional<ModelProto> loadModel(QuantizationRequest request, List<String> reasons) {
        try {
            return Optional.of(loadModel(request));
        } catch (IOException | UncheckedIOException | ArtifactStoreException e) {
            LOG.info("Request {}: model {} cannot be read", request.requestId(), request.model().onnx().key(), e);
            String problem = String.valueOf(e.getMessage()).replace(modelFileOf(request).toString(), "model.onnx");
            reasons.add("model.onnx (" + request.model().onnx().key() + ") is not a readable ONNX model within the"
                    + " limits: " + problem + "; send a valid .onnx file of at most " + limits.maxModelBytes()
                    + " bytes");
            return Optional.empty();
        }
    }

    /**
     * Downloads the request's model with its external data into one folder and parses it.
     *
     * @throws IOException if the model does not parse or exceeds the limits
     */
    public ModelProto loadModel(QuantizationRequest request) throws IOException {
        return ModelIo.load(fetchModel(request), new ModelLimits(limits.maxModelBytes(), limits.maxExternalBytes()));
    }

    /** Downloads the request's model with its external data into one folder and returns the model's copy. */
    private Path fetchModel(QuantizationRequest request) {
        ArtifactRef onnx = request.model().onnx();
        for (ArtifactRef external : request.model().externalData()) {
            cache.fetch(external, modelFolderOf(request), ArtifactCache.fileNameOf(external));
        }
        return cache.fetch(onnx, modelFolderOf(request), MODEL_FILE_NAME);
    }

    private Path modelFileOf(QuantizationRequest request) {
        return cache.root().resolve(modelFolderOf(request)).resolve(MODEL_FILE_NAME);
    }

    private static String modelFolderOf(QuantizationRequest request) {
        return "models/" + request.model().onnx().sha256();
    }

    /** Downloads {@code data} under its submitted file name, whose extension selects the reader. */
    public Path fetchData(DataReference data) {
        return cache.fetch(data.data(), "data/" + data.data().sha256(), data.fileName());
    }

    /** Returns the tokenizer settings of text data, downloading the tokenizer; null for tensor data. */
    public TextOptions textOptions(DataReference data) {
        if (data.tokenizer() == null) {
            return null;
        }
        Path tokenizer = cache.fetch(data.tokenizer(), "data/" + data.tokenizer().sha256(), "tokenizer.json");
        int maxLength = data.maxLength() == null ? TextOptions.DEFAULT_MAX_LENGTH : data.maxLength();
        return new TextOptions(tokenizer, maxLength, false);
    }

    /**
     * Downloads the labels under a name whose extension selects their reader: the key's file name
     * when it has an extension, otherwise {@code .npy} for content that starts with the NumPy
     * magic string and {@code .txt} for anything else, as the workers name them.
     */
    Path fetchLabels(ArtifactRef labels) {
        String fileName = ArtifactCache.fileNameOf(labels);
        Path fetched = cache.fetch(labels, "data/" + labels.sha256(), fileName);
        if (fileName.contains(".")) {
            return fetched;
        }
        try {
            byte[] head = new byte[NUMPY_MAGIC.length];
            int read;
            try (var stream = Files.newInputStream(fetched)) {
                read = stream.readNBytes(head, 0, head.length);
            }
            boolean numpy = read == head.length && Arrays.equals(head, NUMPY_MAGIC);
            Path named = fetched.resolveSibling(fileName + (numpy ? ".npy" : ".txt"));
            if (!Files.exists(named)) {
                Files.copy(fetched, named);
            }
            return named;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the labels " + labels.key(), e);
        }
    }

    /** Returns whether {@code fileName} is a SHA-256 in hex, the last segment of a content key. */
    static boolean isContentHash(String fileName) {
        return SHA256_HEX.matcher(fileName).matches();
    }

    private static final byte[] NUMPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String MODEL_FILE_NAME = "model.onnx";
}
