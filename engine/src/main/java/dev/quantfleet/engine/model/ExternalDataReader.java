package dev.quantfleet.engine.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.StringStringEntryProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the bytes of every tensor whose {@code data_location} is {@code EXTERNAL} into its
 * {@code raw_data}, so that the rest of the engine only handles inline tensors.
 *
 * <p>The {@code external_data} keys follow the ONNX IR specification: {@code location} (required,
 * a path relative to the model's folder), {@code offset} (default 0) and {@code length} (default:
 * to the end of the file). A location is accepted only when it names a regular file inside the
 * model's folder after every symbolic link is resolved: absolute paths, {@code ..} segments and
 * links that lead outside are rejected. {@code checksum} is not verified.
 */
final class ExternalDataReader implements Closeable {

    private final Path modelFolder;
    private final Path modelFolderReal;
    private final long maxExternalDataBytes;
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private long inlinedBytes;

    ExternalDataReader(Path modelFile, long maxExternalDataBytes) throws IOException {
        this.modelFolder = modelFile.toAbsolutePath().getParent();
        this.modelFolderReal = modelFolder.toRealPath();
        this.maxExternalDataBytes = maxExternalDataBytes;
    }

    /** Returns {@code model} with every external tensor inlined; the same instance when none is external. */
    ModelProto inline(ModelProto model) throws IOException {
        return ModelTensors.map(model, (tensor, site) ->
                tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL ? inline(tensor) : tensor);
    }

    /** Returns the real path of every external data file that {@link #inline} read, in path order. */
    List<Path> dataFiles() {
        return channels.keySet().stream().sorted().toList();
    }

    private TensorProto inline(TensorProto tensor) throws IOException {
        String location = null;
        String offsetText = null;
        String lengthText = null;
        for (StringStringEntryProto entry : tensor.getExternalDataList()) {
            switch (entry.getKey()) {
                case "location" -> location = entry.getValue();
                case "offset" -> offsetText = entry.getValue();
                case "length" -> lengthText = entry.getValue();
                default -> {
                    // "checksum" and keys from newer IR versions do not change where the bytes are.
                }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new InvalidModelException("Tensor '" + tensor.getName()
                    + "' has data_location EXTERNAL but no 'location' key in external_data");
        }
        ElementType type = TensorCodec.elementType(tensor);
        if (type == ElementType.STRING || type == ElementType.UNDEFINED) {
            throw new InvalidModelException("Tensor '" + tensor.getName() + "' of element type " + type
                    + " cannot be stored as external data; only fixed-size element types can");
        }

        Path file = resolve(tensor.getName(), location);
        FileChannel channel = channel(file);
        long fileBytes = channel.size();
        long offset = parseNonNegative(tensor, "offset", offsetText, 0);
        long length = parseNonNegative(tensor, "length", lengthText, fileBytes - offset);
        if (offset > fileBytes || length > fileBytes - offset) {
            throw new InvalidModelException("Tensor '" + tensor.getName() + "' reads bytes " + offset + " to "
                    + (offset + length) + " of external data file '" + location + "', which has only " + fileBytes
                    + " bytes; the model and its data file do not match");
        }
        long expectedBytes = type.rawByteCount(TensorCodec.elementCount(tensor));
        if (length != expectedBytes) {
            throw new InvalidModelException("Tensor '" + tensor.getName() + "' has dims " + tensor.getDimsList()
                    + " of " + type + " (" + expectedBytes + " bytes) but its external data length is " + length);
        }
        if (length > ModelLimits.PROTOBUF_MAX_BYTES) {
            throw new InvalidModelException("Tensor '" + tensor.getName() + "' has " + length
                    + " bytes; one tensor can hold at most " + ModelLimits.PROTOBUF_MAX_BYTES + " bytes in memory");
        }
        inlinedBytes += length;
        if (inlinedBytes > maxExternalDataBytes) {
            throw new InvalidModelException("External data exceeds the limit of " + maxExternalDataBytes
                    + " bytes at tensor '" + tensor.getName() + "' (" + inlinedBytes
                    + " bytes so far); raise ModelLimits.maxExternalDataBytes to load this model");
        }

        return tensor.toBuilder()
                .clearExternalData()
                .clearDataLocation()
                .setRawData(read(channel, offset, (int) length, tensor.getName(), location))
                .build();
    }

    private Path resolve(String tensorName, String location) throws InvalidModelException {
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new InvalidModelException("Tensor '" + tensorName + "' has an invalid external data location '"
                    + location + "'", e);
        }
        if (relative.isAbsolute() || relative.getRoot() != null || location.startsWith("/")
                || location.startsWith("\\")) {
            throw new InvalidModelException("Tensor '" + tensorName + "' refers to external data at absolute path '"
                    + location + "'; only paths relative to the model folder " + modelFolder + " are accepted");
        }
        for (Path segment : relative) {
            if (segment.toString().equals("..")) {
                throw new InvalidModelException("Tensor '" + tensorName + "' refers to external data at '" + location
                        + "', which contains '..'; only files in the model folder " + modelFolder
                        + " or its subfolders are accepted");
            }
        }
        Path candidate = modelFolder.resolve(relative).normalize();
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidModelException("External data file '" + location + "' of tensor '" + tensorName
                    + "' was not found at " + candidate);
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            throw new InvalidModelException("External data file '" + location + "' of tensor '" + tensorName
                    + "' cannot be resolved: " + e.getMessage(), e);
        }
        if (!real.startsWith(modelFolderReal)) {
            throw new InvalidModelException("External data file '" + location + "' of tensor '" + tensorName
                    + "' resolves to " + real + ", outside the model folder " + modelFolderReal
                    + "; copy the file into the model folder instead of linking it");
        }
        if (!Files.isRegularFile(real)) {
            throw new InvalidModelException("External data location '" + location + "' of tensor '" + tensorName
                    + "' is not a regular file");
        }
        return real;
    }

    private static long parseNonNegative(TensorProto tensor, String key, String text, long absentValue)
            throws InvalidModelException {
        if (text == null) {
            return absentValue;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidModelException("Tensor '" + tensor.getName() + "' has external data " + key + " '"
                    + text + "', which is not an integer", e);
        }
        if (value < 0) {
            throw new InvalidModelException("Tensor '" + tensor.getName() + "' has a negative external data " + key
                    + " " + value);
        }
        return value;
    }

    private FileChannel channel(Path file) throws IOException {
        FileChannel channel = channels.get(file);
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, channel);
        }
        return channel;
    }

    private static ByteString read(FileChannel channel, long offset, int length, String tensorName, String location)
            throws IOException {
        byte[] bytes = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new EOFException("External data file '" + location + "' ended while reading tensor '"
                        + tensorName + "' at byte " + position);
            }
            position += read;
        }
        // The array is never written again, so wrapping it without a copy is safe.
        return UnsafeByteOperations.unsafeWrap(bytes);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        channels.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
