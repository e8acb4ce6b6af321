package dev.quantfleet.engine.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes ONNX models.
 *
 * <p>{@link #load} returns a model whose tensors all hold their bytes inline: external data is
 * read and copied into {@code raw_data}. {@link #save} writes the model back, inline when it is
 * small enough and otherwise with its large initializers in {@code <model file name>.data}.
 * Serialization is deterministic. Protobuf-java writes known fields in field-number order and
 * unknown fields after them, ONNX has no map fields, and nothing here adds timestamps. So the
 * same model always gives the same bytes, and a model loaded from a file that protobuf-java
 * wrote and saved unchanged gives back the input bytes.
 */
public final class ModelIo {

    /** Nesting depth protobuf may parse; each If, Loop or Scan body adds three levels (node, attribute, graph). */
    static final int RECURSION_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ModelIo.class);

    /** Upper bound of the bytes that one tensor's raw_data adds beyond its payload: tag and length varints. */
    private static final long TENSOR_FRAMING_BYTES = 24;

    private ModelIo() {
    }

    /**
     * Parses {@code modelFile} and inlines all its external data.
     *
     * @throws InvalidModelException if the file exceeds {@code limits}, does not parse as an ONNX
     *     model, or refers to external data that is missing, out of bounds or outside the model folder
     */
    public static ModelProto load(Path modelFile, ModelLimits limits) throws IOException {
        return loadWithDataFiles(modelFile, limits).model();
    }

    /**
     * Loads like {@link #load} and also returns the real path of every external data file the
     * model read, so that a caller can keep its outputs away from the model's inputs.
     */
    public static LoadedModel loadWithDataFiles(Path modelFile, ModelLimits limits) throws IOException {
        long fileBytes = Files.size(modelFile);
        if (fileBytes > limits.maxModelBytes()) {
            throw new InvalidModelException("Model file " + modelFile + " has " + fileBytes
                    + " bytes, more than the limit of " + limits.maxModelBytes()
                    + " bytes; raise ModelLimits.maxModelBytes (at most " + ModelLimits.PROTOBUF_MAX_BYTES
                    + ") to load it");
        }
        ModelProto model = parse(modelFile, Files.readAllBytes(modelFile));
        requireModelFields(modelFile, model);
        try (ExternalDataReader reader = new ExternalDataReader(modelFile, limits.maxExternalDataBytes())) {
            ModelProto inlined = reader.inline(model);
            return new LoadedModel(inlined, reader.dataFiles());
        }
    }

    /** Saves with {@link SaveOptions#defaults()}: inline unless the model exceeds the protobuf limit. */
    public static void save(ModelProto model, Path out) throws IOException {
        save(model, out, SaveOptions.defaults());
    }

    /**
     * Writes {@code model} to {@code out}, replacing an existing file. When the estimated size
     * exceeds {@code options.externalDataThresholdBytes()} or the protobuf limit, initializers of
     * at least {@code options.minExternalTensorBytes()} go to {@code <out file name>.data} beside
     * {@code out}, which is written first, so that a model file never refers to missing data.
     * Both files are written to a temporary file and then moved into place. A data file left
     * from an earlier external save is not deleted when this save is inline.
     *
     * @throws IllegalArgumentException if a tensor of {@code model} still refers to external data
     * @throws InvalidModelException if the model exceeds the protobuf limit even with all
     *     qualifying initializers moved out
     */
    public static void save(ModelProto model, Path out, SaveOptions options) throws IOException {
        requireInline(model);
        Path target = out.toAbsolutePath();
        Path folder = target.getParent();
        Files.createDirectories(folder);

        long estimatedBytes = estimateSerializedBytes(model);
        if (estimatedBytes <= options.externalDataThresholdBytes()) {
            writeAtomically(target, stream -> writeModel(model, stream));
            return;
        }

        String dataFileName = target.getFileName() + ".data";
        ExternalDataWriter writer = new ExternalDataWriter(dataFileName, options.minExternalTensorBytes());
        ModelProto withReferences = writer.externalize(model);
        long remainingBytes = estimateSerializedBytes(withReferences);
        if (remainingBytes > ModelLimits.PROTOBUF_MAX_BYTES) {
            throw new InvalidModelException("Model for " + out + " still has about " + remainingBytes
                    + " bytes after moving initializers of at least " + options.minExternalTensorBytes()
                    + " bytes to external data; protobuf writes at most " + ModelLimits.PROTOBUF_MAX_BYTES
                    + " bytes, so lower SaveOptions.minExternalTensorBytes");
        }
        if (!writer.isEmpty()) {
            writeAtomically(folder.resolve(dataFileName), writer::writeData);
            LOG.info("Wrote the initializers of {} to external data file {} (model about {} bytes)", out,
                    dataFileName, estimatedBytes);
        }
        writeAtomically(target, stream -> writeModel(withReferences, stream));
    }

    /**
     * Serializes {@code model} for an in-memory ONNX Runtime session.
     *
     * @throws IllegalArgumentException if a tensor still refers to external data or the model
     *     exceeds the protobuf limit, in which case {@link #save} with external data is the way out
     */
    public static byte[] toBytes(ModelProto model) {
        requireInline(model);
        long estimatedBytes = estimateSerializedBytes(model);
        if (estimatedBytes > ModelLimits.PROTOBUF_MAX_BYTES) {
            throw new IllegalArgumentException("Model has about " + estimatedBytes + " bytes, more than the "
                    + ModelLimits.PROTOBUF_MAX_BYTES + " bytes protobuf can write into one array; save it to a file"
                    + " with ModelIo.save, which moves initializers to external data");
        }
        return model.toByteArray();
    }

    /**
     * Estimates the serialized size without protobuf's int arithmetic, which wraps around above
     * 2 GiB: raw_data bytes are summed as longs and the rest is measured with them left out.
     * The estimate is at least the true size and exceeds it by at most
     * {@link #TENSOR_FRAMING_BYTES} per tensor.
     */
    static long estimateSerializedBytes(ModelProto model) {
        long[] rawBytes = new long[1];
        long[] tensorCount = new long[1];
        try {
            ModelProto skeleton = ModelTensors.map(model, (tensor, site) -> {
                if (!tensor.hasRawData()) {
                    return tensor;
                }
                rawBytes[0] += tensor.getRawData().size();
                tensorCount[0]++;
                return tensor.toBuilder().clearRawData().build();
            });
            return skeleton.getSerializedSize() + rawBytes[0] + TENSOR_FRAMING_BYTES * tensorCount[0];
        } catch (IOException e) {
            throw new IllegalStateException("In-memory tensor mapping cannot fail", e);
        }
    }

    private static ModelProto parse(Path modelFile, byte[] bytes) throws InvalidModelException {
        CodedInputStream input = CodedInputStream.newInstance(bytes);
        input.setSizeLimit(Integer.MAX_VALUE);
        input.setRecursionLimit(RECURSION_LIMIT);
        // raw_data then shares the file's array instead of copying it, which halves peak memory.
        input.enableAliasing(true);
        try {
            return ModelProto.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException("Model file " + modelFile + " is not a valid ONNX model: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException("Model file " + modelFile + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    /**
     * Rejects a parsed message that lacks the fields every ONNX model has: a graph, an ir_version
     * and, from IR version 3 on, an opset_import. Protobuf parses any short byte sequence, an empty
     * file included, as a ModelProto with these fields unset. A graph without nodes is valid.
     */
    private static void requireModelFields(Path modelFile, ModelProto model) throws IOException {
        String missing = null;
        if (!model.hasGraph()) {
            missing = "no graph";
        } else if (model.getIrVersion() <= 0) {
            missing = "no ir_version";
        } else if (model.getIrVersion() >= 3 && model.getOpsetImportCount() == 0) {
            missing = "no opset_import";
        }
        if (missing != null) {
            throw new InvalidModelException("Model file " + modelFile + " is not a valid ONNX model: " + missing
                    + " (" + Files.size(modelFile) + " bytes). Export the model again or check that the file is "
                    + "complete");
        }
    }

    private static void writeModel(ModelProto model, OutputStream stream) throws IOException {
        CodedOutputStream coded = CodedOutputStream.newInstance(stream, 1 << 16);
        coded.useDeterministicSerialization();
        model.writeTo(coded);
        coded.flush();
    }

    private static void requireInline(ModelProto model) {
        try {
            ModelTensors.forEach(model, (tensor, site) -> {
                if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    throw new IllegalArgumentException("Tensor '" + tensor.getName()
                            + "' refers to external data; load the model with ModelIo.load, which inlines it");
                }
                return tensor;
            });
        } catch (IOException e) {
            throw new IllegalStateException("In-memory tensor visit cannot fail", e);
        }
    }

    @FunctionalInterface
    private interface StreamWriter {
        void write(OutputStream stream) throws IOException;
    }

    /**
     * Writes to a temporary file beside {@code target} and moves it into place. The temporary name
     * is unique per call, so concurrent saves to one target never share it, and the temporary file
     * is removed when writing or moving fails.
     */
    private static void writeAtomically(Path target, StreamWriter writer) throws IOException {
        Path temporary = null;
        try {
            OutputStream created = null;
            while (created == null) {
                temporary = target.resolveSibling("." + target.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    // CREATE_NEW keeps the umask permissions that createTempFile would narrow to the owner.
                    created = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    LOG.debug("Temporary file {} exists, choosing another name", temporary, e);
                }
            }
            try (OutputStream stream = new BufferedOutputStream(created, 1 << 16)) {
                writer.write(stream);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.debug("Atomic move into {} is not supported, replacing the file in place", target, e);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
