package dev.quantfleet.engine.model;

import com.google.protobuf.ByteString;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.StringStringEntryProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves large initializers out of a model into one external data file.
 *
 * <p>Initializers are taken in {@link ModelTensors} order, so the same model always gives the
 * same file. Each tensor of at least {@link #LARGE_TENSOR_BYTES} starts at a multiple of
 * {@link #LARGE_TENSOR_ALIGNMENT_BYTES}, so that ONNX Runtime can memory-map it on every
 * platform (64 KiB is the Windows allocation granularity); smaller tensors start at a multiple of
 * {@link #SMALL_TENSOR_ALIGNMENT_BYTES}. The gaps are zero bytes.
 */
final class ExternalDataWriter {

    static final long LARGE_TENSOR_BYTES = 1L << 20;
    static final long LARGE_TENSOR_ALIGNMENT_BYTES = 64L << 10;
    static final long SMALL_TENSOR_ALIGNMENT_BYTES = 16;

    private record Chunk(long offset, ByteString bytes) {
    }

    private final String location;
    private final long minExternalTensorBytes;
    private final List<Chunk> chunks = new ArrayList<>();
    private long endOffset;

    ExternalDataWriter(String location, long minExternalTensorBytes) {
        this.location = location;
        this.minExternalTensorBytes = minExternalTensorBytes;
    }

    /** Returns the model with every qualifying initializer replaced by a reference into the data file. */
    ModelProto externalize(ModelProto model) throws IOException {
        return ModelTensors.map(model, (tensor, site) -> {
            if (site != ModelTensors.Site.INITIALIZER || !tensor.hasRawData()
                    || tensor.getRawData().size() < minExternalTensorBytes) {
                return tensor;
            }
            return reference(tensor);
        });
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** Writes the collected tensor bytes with zero padding between them. */
    void writeData(OutputStream out) throws IOException {
        long position = 0;
        byte[] zeros = new byte[(int) LARGE_TENSOR_ALIGNMENT_BYTES];
        for (Chunk chunk : chunks) {
            long gap = chunk.offset() - position;
            while (gap > 0) {
                int step = (int) Math.min(gap, zeros.length);
                out.write(zeros, 0, step);
                gap -= step;
            }
            chunk.bytes().writeTo(out);
            position = chunk.offset() + chunk.bytes().size();
        }
    }

    private TensorProto reference(TensorProto tensor) {
        ByteString bytes = tensor.getRawData();
        long alignment = bytes.size() >= LARGE_TENSOR_BYTES ? LARGE_TENSOR_ALIGNMENT_BYTES : SMALL_TENSOR_ALIGNMENT_BYTES;
        long offset = (endOffset + alignment - 1) / alignment * alignment;
        chunks.add(new Chunk(offset, bytes));
        endOffset = offset + bytes.size();
        return tensor.toBuilder()
                .clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Integer.toString(bytes.size())))
                .build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
