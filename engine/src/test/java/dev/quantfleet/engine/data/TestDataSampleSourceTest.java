package dev.quantfleet.engine.data;

import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.TensorCodec;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.quantfleet.engine.data.NumpySampleSourceTest.floats;
import static dev.quantfleet.engine.data.NumpySampleSourceTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDataSampleSourceTest {

    private static final ModelProto MODEL = TinyModels.model(GraphProto.newBuilder()
            .addInput(TinyModels.tensor("x", ElementType.FLOAT, "batch", 2L))
            .addInput(TinyModels.tensor("ids", ElementType.INT64, "batch"))
            .build());

    @TempDir
    Path folder;

    @Test
    void singleSampleFolderMatchedByName() throws IOException {
        write(folder.resolve("input_0.pb"), TensorCodec.fromLongs("ids", new long[] {1}, ElementType.INT64, new long[] {9}));
        write(folder.resolve("input_1.pb"), TensorCodec.fromFloats("x", new long[] {1, 2}, new float[] {1f, 2f}));
        write(folder.resolve("output_0.pb"), TensorCodec.fromFloats("y", new long[] {1}, new float[] {0f}));

        try (SampleSource source = SampleSources.open(folder, MODEL, null)) {
            List<Sample> samples = readAll(source);

            assertThat(samples).hasSize(1);
            assertThat(floats(samples.get(0).input("x"))).containsExactly(1f, 2f);
            assertThat(((LongBuffer) samples.get(0).input("ids").values()).get(0)).isEqualTo(9L);
        }
    }

    @Test
    void dataSetFoldersByPosition() throws IOException {
        for (int set : new int[] {0, 2, 10}) {
            Path setFolder = Files.createDirectories(folder.resolve("test_data_set_" + set));
            write(setFolder.resolve("input_0.pb"),
                    TensorCodec.fromFloats("", new long[] {1, 2}, new float[] {set, set + 0.5f}));
            write(setFolder.resolve("input_1.pb"),
                    TensorCodec.fromLongs("", new long[] {1}, ElementType.INT64, new long[] {set}));
        }

        try (SampleSource source = SampleSources.open(folder, MODEL, null)) {
            List<Sample> samples = readAll(source);

            assertThat(source.size()).isEqualTo(3);
            assertThat(samples).extracting(sample -> floats(sample.input("x"))[0]).containsExactly(0f, 2f, 10f);
            assertThat(samples.get(2).origin()).endsWith("test_data_set_10");
        }
    }

    @Test
    void tensorNamedAfterNoInputIsRejected() throws IOException {
        write(folder.resolve("input_0.pb"), TensorCodec.fromFloats("y", new long[] {1, 2}, new float[] {1f, 2f}));
        write(folder.resolve("input_1.pb"), TensorCodec.fromLongs("ids", new long[] {1}, ElementType.INT64,
                new long[] {1}));

        assertThatThrownBy(() -> SampleSources.open(folder, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(folder.resolve("input_0.pb") + " contains tensor 'y', which is not a model "
                        + "input")
                .hasMessageContaining("Model inputs: 'x': float [batch, 2], 'ids': int64 [batch]");
    }

    @Test
    void unnamedTensorGoesByPositionBesideNamedOne() throws IOException {
        write(folder.resolve("input_0.pb"), TensorCodec.fromFloats("", new long[] {1, 2}, new float[] {3f, 5f}));
        write(folder.resolve("input_1.pb"), TensorCodec.fromLongs("ids", new long[] {1}, ElementType.INT64,
                new long[] {4}));

        try (SampleSource source = SampleSources.open(folder, MODEL, null)) {
            Sample sample = readAll(source).get(0);

            assertThat(floats(sample.input("x"))).containsExactly(3f, 5f);
            assertThat(((LongBuffer) sample.input("ids").values()).get(0)).isEqualTo(4L);
        }
    }

    @Test
    void twoTensorsForOneInputAreRejected() throws IOException {
        write(folder.resolve("input_0.pb"), TensorCodec.fromFloats("", new long[] {1, 2}, new float[] {1f, 2f}));
        write(folder.resolve("input_1.pb"), TensorCodec.fromFloats("x", new long[] {1, 2}, new float[] {3f, 4f}));

        assertThatThrownBy(() -> SampleSources.open(folder, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage(folder.resolve("input_0.pb") + " and input_1.pb both feed model input 'x'; give each "
                        + "tensor the name of a different input");
    }

    @Test
    void tensorWithWrongTypeIsRejected() throws IOException {
        write(folder.resolve("input_0.pb"), TensorCodec.fromLongs("x", new long[] {1, 2}, ElementType.INT32,
                new long[] {1, 2}));
        write(folder.resolve("input_1.pb"), TensorCodec.fromLongs("ids", new long[] {1}, ElementType.INT64,
                new long[] {1}));

        assertThatThrownBy(() -> SampleSources.open(folder, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("Input 'x' has element type int32")
                .hasMessageContaining("the model expects float [batch, 2]");
    }

    @Test
    void extraPositionalTensorIsRejected() throws IOException {
        for (int position = 0; position < 3; position++) {
            write(folder.resolve("input_" + position + ".pb"),
                    TensorCodec.fromFloats("", new long[] {1, 2}, new float[] {1f, 2f}));
        }

        assertThatThrownBy(() -> SampleSources.open(folder, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("input_2.pb has no name and no model input at position 2");
    }

    @Test
    void corruptTensorFileIsRejected() throws IOException {
        Files.write(folder.resolve("input_0.pb"), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});

        assertThatThrownBy(() -> SampleSources.open(folder, MODEL, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("is not a serialized TensorProto");
    }

    private static void write(Path file, TensorProto tensor) throws IOException {
        Files.write(file, tensor.toByteArray());
    }
}
