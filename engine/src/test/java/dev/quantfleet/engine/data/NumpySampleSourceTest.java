package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.data.NpyWriter.Array;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumpySampleSourceTest {

    @TempDir
    Path folder;

    @Test
    void npySamplesAlongFirstAxis() throws IOException {
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {3, 2}, 1f, 2f, 3f, 4f, 5f, 6f));

        try (SampleSource source = SampleSources.open(file, model(input("x", ElementType.FLOAT, "batch", 2L)), null)) {
            List<Sample> samples = readAll(source);

            assertThat(source.size()).isEqualTo(3);
            assertThat(samples).hasSize(3);
            assertThat(samples.get(2).input("x").shape()).containsExactly(1, 2);
            assertThat(floats(samples.get(2).input("x"))).containsExactly(5f, 6f);
            assertThat(samples.get(2).origin()).isEqualTo(file + ", sample 2");
        }
    }

    @Test
    void npyDropsAxisForLowerRank() throws IOException {
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f));

        try (SampleSource source = SampleSources.open(file, model(input("x", ElementType.FLOAT, 3L)), null)) {
            List<Sample> samples = readAll(source);

            assertThat(samples.get(1).input("x").shape()).containsExactly(3);
            assertThat(floats(samples.get(1).input("x"))).containsExactly(4f, 5f, 6f);
        }
    }

    @Test
    void npySlicesByFixedBatchSize() throws IOException {
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {4, 1}, 1f, 2f, 3f, 4f));

        try (SampleSource source = SampleSources.open(file, model(input("x", ElementType.FLOAT, 2L, 1L)), null)) {
            List<Sample> samples = readAll(source);

            assertThat(samples).hasSize(2);
            assertThat(floats(samples.get(1).input("x"))).containsExactly(3f, 4f);
        }
    }

    @Test
    void npyRowsMustDivideByFixedBatchSize() throws IOException {
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {3, 1}, 1f, 2f, 3f));

        assertThatThrownBy(() -> SampleSources.open(file, model(input("x", ElementType.FLOAT, 2L, 1L)), null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("3 rows along the first axis")
                .hasMessageContaining("fixed batch size 2");
    }

    @Test
    void npyStemMustNameAnInput() throws IOException {
        Path file = folder.resolve("y.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {1, 1}, 1f));
        ModelProto model = model(input("x", ElementType.FLOAT, "b", 1L), input("z", ElementType.FLOAT, "b", 1L));

        assertThatThrownBy(() -> SampleSources.open(file, model, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("none is named 'y'")
                .hasMessageContaining("'x': float [b, 1], 'z': float [b, 1]");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void npzReadsEveryElementType(boolean compressed) throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        arrays.put("x", Array.floats(new long[] {2, 2}, 0.5f, -1.5f, 2.5f, 3.5f));
        arrays.put("ids", Array.longs(new long[] {2, 1}, Long.MAX_VALUE, -7L));
        arrays.put("pixels", Array.of("|u1", new long[] {2, 2}, new byte[] {0, (byte) 255, 17, (byte) 128}));
        arrays.put("flags", Array.of("|b1", new long[] {2}, new byte[] {1, 0}));
        arrays.put("half", Array.of("<f2", new long[] {2, 1}, littleEndianShorts((short) 0x3C00, (short) 0xC000)));
        arrays.put("wide", Array.of("<f8", new long[] {2}, littleEndianDoubles(0.25, -8)));
        arrays.put("ints", Array.of("<i4", new long[] {2}, littleEndianInts(-3, 70000)));
        Path file = folder.resolve("data.npz");
        NpyWriter.writeNpz(file, arrays, compressed);
        ModelProto model = model(
                input("x", ElementType.FLOAT, "b", 2L),
                input("ids", ElementType.INT64, "b", 1L),
                input("pixels", ElementType.UINT8, "b", 2L),
                input("flags", ElementType.BOOL, "b"),
                input("half", ElementType.FLOAT16, "b", 1L),
                input("wide", ElementType.DOUBLE, "b"),
                input("ints", ElementType.INT32, "b"));

        try (SampleSource source = SampleSources.open(file, model, null)) {
            List<Sample> samples = readAll(source);

            assertThat(samples).hasSize(2);
            Sample second = samples.get(1);
            assertThat(floats(second.input("x"))).containsExactly(2.5f, 3.5f);
            assertThat(((LongBuffer) samples.get(0).input("ids").values()).get(0)).isEqualTo(Long.MAX_VALUE);
            assertThat(((LongBuffer) second.input("ids").values()).get(0)).isEqualTo(-7L);
            assertThat(second.input("pixels").elementType()).isEqualTo(ElementType.UINT8);
            assertThat(((ByteBuffer) second.input("pixels").values()).get(1) & 0xFF).isEqualTo(128);
            assertThat(samples.get(0).input("flags").shape()).containsExactly(1);
            assertThat(((ByteBuffer) samples.get(0).input("flags").values()).get(0)).isEqualTo((byte) 1);
            assertThat(((ShortBuffer) second.input("half").values()).get(0)).isEqualTo((short) 0xC000);
            assertThat(((java.nio.DoubleBuffer) second.input("wide").values()).get(0)).isEqualTo(-8.0);
            assertThat(((java.nio.IntBuffer) second.input("ints").values()).get(0)).isEqualTo(70000);
        }
    }

    @Test
    void bigEndianAndVersionTwoHeaders() throws IOException {
        ByteBuffer bigEndian = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        bigEndian.putFloat(1.25f).putFloat(-2f);
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, new Array(">f4", new long[] {2}, bigEndian.array(), false, 2));

        try (SampleSource source = SampleSources.open(file, model(input("x", ElementType.FLOAT)), null)) {
            List<Sample> samples = readAll(source);

            assertThat(samples).hasSize(2);
            assertThat(floats(samples.get(0).input("x"))).containsExactly(1.25f);
            assertThat(floats(samples.get(1).input("x"))).containsExactly(-2f);
        }
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, new Array("<f4", new long[] {1, 1}, new byte[4], true, 1));

        assertThatThrownBy(() -> SampleSources.open(file, model(input("x", ElementType.FLOAT, "b", 1L)), null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Fortran order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<U5", "|O", "<c8", "<M8"})
    void rejectsUnsupportedDtypes(String descr) throws IOException {
        Path file = folder.resolve("data.npy");
        NpyWriter.writeNpy(file, Array.of(descr, new long[] {1}, new byte[16]));

        assertThatThrownBy(() -> SampleSources.open(file, model(input("x", ElementType.FLOAT, "b")), null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("dtype '" + descr + "'");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        Path file = folder.resolve("data.npy");
        byte[] bytes = NpyWriter.npyBytes(Array.floats(new long[] {3}, 1f, 2f, 3f));
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));

        try (SampleSource source = SampleSources.open(file, model(input("x", ElementType.FLOAT)), null)) {
            assertThatThrownBy(() -> readAll(source))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("ends inside sample 2");
        }
    }

    @Test
    void npzArraysMustHoldEqualSampleCounts() throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        arrays.put("a", Array.floats(new long[] {2, 1}, 1f, 2f));
        arrays.put("b", Array.floats(new long[] {3, 1}, 1f, 2f, 3f));
        Path file = folder.resolve("data.npz");
        NpyWriter.writeNpz(file, arrays, false);
        ModelProto model = model(input("a", ElementType.FLOAT, "n", 1L), input("b", ElementType.FLOAT, "n", 1L));

        assertThatThrownBy(() -> SampleSources.open(file, model, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("different numbers of samples")
                .hasMessageContaining("{a=2, b=3}");
    }

    @Test
    void npzWithWrongNamesFailsOnOpen() throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        arrays.put("input", Array.floats(new long[] {1, 1}, 1f));
        Path file = folder.resolve("data.npz");
        NpyWriter.writeNpz(file, arrays, true);

        assertThatThrownBy(() -> SampleSources.open(file, model(input("x", ElementType.FLOAT, "n", 1L)), null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Input 'x' (float [n, 1]) is missing from " + file + ", sample 0")
                .hasMessageContaining("has 'input' (float [1, 1]), which is not a model input");
    }

    @Test
    void folderOfNpyFilesNamedAfterInputs() throws IOException {
        NpyWriter.writeNpy(folder.resolve("a.npy"), Array.floats(new long[] {2, 1}, 1f, 2f));
        NpyWriter.writeNpy(folder.resolve("b.npy"), Array.longs(new long[] {2, 1}, 3L, 4L));
        ModelProto model = model(input("a", ElementType.FLOAT, "n", 1L), input("b", ElementType.INT64, "n", 1L));

        try (SampleSource source = SampleSources.open(folder, model, null)) {
            List<Sample> samples = readAll(source);

            assertThat(samples).hasSize(2);
            assertThat(((LongBuffer) samples.get(1).input("b").values()).get(0)).isEqualTo(4L);
        }
    }

    @Test
    void everyIterationStartsFromTheFirstSample() throws IOException {
        Path file = folder.resolve("data.npz");
        NpyWriter.writeNpz(file, Map.of("x", Array.floats(new long[] {3, 1}, 1f, 2f, 3f)), true);

        try (SampleSource source = SampleSources.open(file, model(input("x", ElementType.FLOAT, "n", 1L)), null)) {
            Iterator<Sample> partial = source.iterator();
            partial.next();

            List<Sample> full = readAll(source);

            assertThat(full).hasSize(3);
            assertThat(floats(full.get(0).input("x"))).containsExactly(1f);
        }
    }

    @Test
    void arrayWithoutSamplesIsRejected() throws IOException {
        Path file = folder.resolve("empty.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {0, 2}));

        assertThatThrownBy(() -> SampleSources.open(file, model(input("x", ElementType.FLOAT, "batch", 2L)), null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("no samples in " + file + "; at least one sample is needed");
    }

    @Test
    void allNanArrayIsRejected() throws IOException {
        Path file = folder.resolve("nan.npy");
        NpyWriter.writeNpy(file, Array.floats(new long[] {2, 2}, Float.NaN, Float.NaN, Float.NaN, Float.NaN));

        assertThatThrownBy(() -> SampleSources.open(file, model(input("x", ElementType.FLOAT, "batch", 2L)), null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("Input 'x' contains 2 NaN values in " + file + ", sample 0");
    }

    private static ModelProto model(ValueInfoProto... inputs) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("inputs_only");
        for (ValueInfoProto input : inputs) {
            graph.addInput(input);
        }
        return TinyModels.model(graph.build());
    }

    private static ValueInfoProto input(String name, ElementType type, Object... dims) {
        return TinyModels.tensor(name, type, dims);
    }

    static List<Sample> readAll(SampleSource source) {
        List<Sample> samples = new ArrayList<>();
        source.forEach(samples::add);
        return samples;
    }

    static float[] floats(TensorValue value) {
        FloatBuffer buffer = value.floatValues();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static byte[] littleEndianShorts(short... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asShortBuffer().put(values);
        return buffer.array();
    }

    private static byte[] littleEndianDoubles(double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return buffer.array();
    }

    private static byte[] littleEndianInts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        return buffer.array();
    }
}
