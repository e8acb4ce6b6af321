package dev.quantfleet.engine.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.NpyHeader;
import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.onnx.ElementType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Stores {@link ReferenceOutputs} in a file, so that the BASELINE task of one worker can hand the
 * float model's outputs to the EVALUATE and SENSITIVITY tasks of other workers.
 *
 * <p>The file is a NumPy {@code .npz} archive (a zip file of {@code .npy} entries, stored without
 * compression), so {@code numpy.load} opens it:
 * <ul>
 *   <li>{@value #METADATA_ENTRY}: UTF-8 JSON {@code {"format": "quantfleet-reference-outputs",
 *       "version": 1, "sampleCount": n, "outputs": [names in graph order],
 *       "distributionOutputs": [names, sorted]}};</li>
 *   <li>{@code sample_<i, 6 digits>/output_<j, 2 digits>.npy} for sample {@code i} and output
 *       {@code j} of {@code outputs}: a little-endian float32 ({@code <f4}) array in C order
 *       with the output's shape.</li>
 * </ul>
 * The float values keep their bits, and the set of distribution outputs is stored rather than
 * recomputed, so {@link #read} returns outputs equal to those written. The model inputs are not
 * stored: the reader pairs sample {@code i} with the {@code i}-th sample of the evaluation data,
 * which the caller opens again. Every entry has the same fixed time stamp, so equal outputs
 * give byte-identical files.
 */
public final class ReferenceOutputsFile {

    /** Name of the JSON entry that lists the outputs. */
    public static final String METADATA_ENTRY = "reference-outputs.json";

    /** Value of the {@code format} field. */
    public static final String FORMAT = "quantfleet-reference-outputs";

    /** The format version this class writes and reads. */
    public static final int VERSION = 1;

    /**
     * Time stamp of every zip entry: 1980-01-01, the earliest a zip entry can express, set as
     * local time so that the bytes do not depend on the time zone.
     */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceOutputsFile() {
    }

    /** Contents of the {@value #METADATA_ENTRY} entry. */
    record Metadata(String format, int version, int sampleCount, List<String> outputs,
                    List<String> distributionOutputs) {
    }

    /**
     * Writes {@code reference} to {@code file}, replacing it.
     *
     * @throws IllegalArgumentException if the samples do not all have the same outputs in the same order
     */
    public static void write(ReferenceOutputs reference, Path file) throws IOException {
        List<String> outputNames = outputNames(reference.samples().get(0));
        Metadata metadata = new Metadata(FORMAT, VERSION, reference.samples().size(), outputNames,
                reference.distributionOutputs().stream().sorted().toList());
        try (OutputStream stream = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(stream)) {
            putStored(zip, METADATA_ENTRY, JSON.writeValueAsBytes(metadata));
            for (int sampleIndex = 0; sampleIndex < reference.samples().size(); sampleIndex++) {
                EvaluatedSample sample = reference.samples().get(sampleIndex);
                if (!outputNames(sample).equals(outputNames)) {
                    throw new IllegalArgumentException("Sample " + sampleIndex + " has outputs " + outputNames(sample)
                            + ", but sample 0 has " + outputNames + "; every sample needs the same outputs");
                }
                for (int outputIndex = 0; outputIndex < outputNames.size(); outputIndex++) {
                    OutputTensor output = sample.outputs().get(outputIndex);
                    putStored(zip, entryName(sampleIndex, outputIndex),
                            NpyWriter.npyBytes(NpyWriter.Array.floats(output.shape(), output.values())));
                }
            }
        }
    }

    /**
     * Reads the outputs in {@code file} and pairs them with {@code inputs}, the evaluation samples
     * the outputs were computed from, in the same order.
     *
     * @throws InvalidDataException if the file is not a reference outputs file of version
     *     {@value #VERSION}, or its sample count differs from that of {@code inputs}
     */
    public static ReferenceOutputs read(Path file, Iterable<Sample> inputs) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Metadata metadata = readMetadata(zip, file);
            List<EvaluatedSample> samples = new ArrayList<>(metadata.sampleCount());
            Iterator<Sample> input = inputs.iterator();
            for (int sampleIndex = 0; sampleIndex < metadata.sampleCount(); sampleIndex++) {
                if (!input.hasNext()) {
                    throw sampleCountMismatch(file, metadata, sampleIndex + " samples");
                }
                List<OutputTensor> outputs = new ArrayList<>(metadata.outputs().size());
                for (int outputIndex = 0; outputIndex < metadata.outputs().size(); outputIndex++) {
                    outputs.add(readOutput(zip, file, entryName(sampleIndex, outputIndex),
                            metadata.outputs().get(outputIndex)));
                }
                samples.add(new EvaluatedSample(input.next(), outputs));
            }
            if (input.hasNext()) {
                throw sampleCountMismatch(file, metadata, "more than " + metadata.sampleCount() + " samples");
            }
            return new ReferenceOutputs(samples, new LinkedHashSet<>(metadata.distributionOutputs()));
        }
    }

    private static Metadata readMetadata(ZipFile zip, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(METADATA_ENTRY);
        if (entry == null) {
            throw new InvalidDataException(file + " has no " + METADATA_ENTRY + " entry, so it is not a reference "
                    + "outputs file; use the file that a BASELINE task wrote");
        }
        Metadata metadata;
        try (InputStream stream = zip.getInputStream(entry)) {
            metadata = JSON.readValue(stream, Metadata.class);
        } catch (JsonProcessingException e) {
            throw new InvalidDataException("Invalid " + METADATA_ENTRY + " in " + file + ": " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(metadata.format()) || metadata.version() != VERSION) {
            throw new InvalidDataException(file + " has format '" + metadata.format() + "' version " + metadata.version()
                    + "; this reader reads '" + FORMAT + "' version " + VERSION + ", so run the BASELINE task again");
        }
        if (metadata.outputs() == null || metadata.distributionOutputs() == null || metadata.sampleCount() < 1) {
            throw new InvalidDataException(METADATA_ENTRY + " in " + file + " lacks outputs, distributionOutputs or a "
                    + "sampleCount of 1 or more");
        }
        return metadata;
    }

    private static OutputTensor readOutput(ZipFile zip, Path file, String entryName, String outputName)
            throws IOException {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new InvalidDataException(file + " has no entry " + entryName + " for output '" + outputName
                    + "'; the file is truncated, so run the BASELINE task again");
        }
        try (InputStream stream = new BufferedInputStream(zip.getInputStream(entry))) {
            String origin = file + "!" + entryName;
            NpyHeader header = NpyHeader.read(stream, origin);
            if (header.elementType() != ElementType.FLOAT) {
                throw new InvalidDataException(origin + " contains " + header.elementType().name().toLowerCase(Locale.ROOT)
                        + " values; reference outputs are float32");
            }
            long[] shape = header.shape();
            int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
            byte[] bytes = stream.readNBytes(Math.multiplyExact(count, Float.BYTES));
            if (bytes.length != count * Float.BYTES) {
                throw new InvalidDataException(origin + " ends after " + bytes.length + " data bytes; its shape "
                        + Arrays.toString(shape) + " needs " + count * Float.BYTES);
            }
            float[] values = new float[count];
            ByteBuffer.wrap(bytes).order(header.byteOrder()).asFloatBuffer().get(values);
            return new OutputTensor(outputName, shape, values);
        }
    }

    private static InvalidDataException sampleCountMismatch(Path file, Metadata metadata, String dataSamples) {
        return new InvalidDataException(file + " contains the outputs of " + metadata.sampleCount()
                + " samples, but the evaluation data has " + dataSamples + "; pass the evaluation data that the "
                + "BASELINE task ran on");
    }

    private static List<String> outputNames(EvaluatedSample sample) {
        return sample.outputs().stream().map(OutputTensor::name).toList();
    }

    private static String entryName(int sampleIndex, int outputIndex) {
        return String.format(Locale.ROOT, "sample_%06d/output_%02d.npy", sampleIndex, outputIndex);
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
