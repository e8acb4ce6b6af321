package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Reads the samples of one {@code .npy} array in order, one slice at a time, from a stream that
 * starts at the array's magic string. Only one sample is in memory at a time.
 */
final class NpyArrayStream implements AutoCloseable {

    private final DataInputStream stream;
    private final String origin;
    private final NpyHeader header;
    private final FirstAxisSlicing slicing;
    private long samplesRead;

    NpyArrayStream(InputStream stream, String origin, Optional<ModelInput> input) throws IOException {
        this.stream = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        this.origin = origin;
        try {
            this.header = NpyHeader.read(this.stream, origin);
            this.slicing = FirstAxisSlicing.of(header.shape(), input, origin);
        } catch (IOException | RuntimeException e) {
            this.stream.close();
            throw e;
        }
    }

    NpyHeader header() {
        return header;
    }

    long sampleCount() {
        return slicing.sampleCount();
    }

    /** Reads the next sample; the caller checks {@link #sampleCount()} first. */
    TensorValue next() {
        if (samplesRead >= slicing.sampleCount()) {
            throw new IllegalStateException(origin + " has no sample " + samplesRead);
        }
        long elements = slicing.sampleElements();
        long bytes = elements * header.itemBytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new InvalidDataException("One sample of " + origin + " has " + bytes
                    + " bytes, more than one Java array holds");
        }
        byte[] raw = new byte[(int) bytes];
        try {
            stream.readFully(raw);
        } catch (EOFException e) {
            throw new InvalidDataException(origin + " ends inside sample " + samplesRead + "; the header promises "
                    + slicing.sampleCount() + " samples of " + bytes + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read sample " + samplesRead + " of " + origin, e);
        }
        samplesRead++;
        return decode(raw, (int) elements);
    }

    private TensorValue decode(byte[] raw, int elements) {
        ByteBuffer bytes = ByteBuffer.wrap(raw).order(header.byteOrder());
        long[] shape = slicing.sampleShape();
        ElementType type = header.elementType();
        return switch (type) {
            case FLOAT -> {
                float[] values = new float[elements];
                bytes.asFloatBuffer().get(values);
                yield TensorValue.ofFloats(shape, values);
            }
            case DOUBLE -> {
                double[] values = new double[elements];
                bytes.asDoubleBuffer().get(values);
                yield TensorValue.ofDoubles(shape, values);
            }
            case INT64, UINT64 -> {
                long[] values = new long[elements];
                bytes.asLongBuffer().get(values);
                yield TensorValue.of(type, shape, java.nio.LongBuffer.wrap(values));
            }
            case INT32, UINT32 -> {
                int[] values = new int[elements];
                bytes.asIntBuffer().get(values);
                yield TensorValue.of(type, shape, java.nio.IntBuffer.wrap(values));
            }
            case INT16, UINT16, FLOAT16 -> {
                short[] values = new short[elements];
                bytes.asShortBuffer().get(values);
                yield TensorValue.of(type, shape, java.nio.ShortBuffer.wrap(values));
            }
            default -> TensorValue.of(type, shape, ByteBuffer.wrap(raw));
        };
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
