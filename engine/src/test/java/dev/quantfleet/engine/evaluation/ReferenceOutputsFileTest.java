package dev.quantfleet.engine.evaluation;

import dev.quantfleet.engine.data.InvalidDataException;
import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceOutputsFileTest {

    @TempDir
    Path directory;

    @Test
    void roundTripKeepsValuesShapesAndDistributions() throws Exception {
        ReferenceOutputs written = reference(5, 3);
        Path file = directory.resolve("reference-outputs.npz");

        ReferenceOutputsFile.write(written, file);
        ReferenceOutputs read = ReferenceOutputsFile.read(file, written.inputs());

        assertThat(written.distributionOutputs()).containsExactly("probabilities");
        assertThat(read.distributionOutputs()).isEqualTo(written.distributionOutputs());
        assertThat(read.samples()).hasSize(5);
        for (int sample = 0; sample < 5; sample++) {
            List<OutputTensor> expected = written.samples().get(sample).outputs();
            List<OutputTensor> actual = read.samples().get(sample).outputs();
            assertThat(actual).extracting(OutputTensor::name).containsExactly("embedding", "probabilities");
            assertThat(read.samples().get(sample).sample()).isSameAs(written.samples().get(sample).sample());
            for (int output = 0; output < 2; output++) {
                assertThat(actual.get(output).shape()).isEqualTo(expected.get(output).shape());
                assertThat(bits(actual.get(output).values())).isEqualTo(bits(expected.get(output).values()));
            }
        }
    }

    @Test
    void specialFloatsKeepTheirBits() throws Exception {
        float[] special = {Float.NaN, -0.0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE, 1.5f};
        Sample input = new Sample("special", Map.of("x", TensorValue.ofFloats(new long[] {1}, new float[] {0})));
        ReferenceOutputs written = new ReferenceOutputs(List.of(new EvaluatedSample(input,
                List.of(new OutputTensor("y", new long[] {2, 3}, special)))), Set.of());
        Path file = directory.resolve("special.npz");

        ReferenceOutputsFile.write(written, file);
        float[] read = ReferenceOutputsFile.read(file, written.inputs()).samples().get(0).outputs().get(0).values();

        assertThat(bits(read)).isEqualTo(bits(special));
    }

    @Test
    void equalOutputsGiveIdenticalBytes() throws Exception {
        Path first = directory.resolve("first.npz");
        Path second = directory.resolve("second.npz");

        ReferenceOutputsFile.write(reference(4, 9), first);
        ReferenceOutputsFile.write(reference(4, 9), second);

        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void fewerDataSamplesThanOutputsIsRejected() throws Exception {
        ReferenceOutputs written = reference(4, 1);
        Path file = directory.resolve("reference-outputs.npz");
        ReferenceOutputsFile.write(written, file);

        assertThatThrownBy(() -> ReferenceOutputsFile.read(file, written.inputs().subList(0, 3)))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("outputs of 4 samples")
                .hasMessageContaining("3 samples");
    }

    @Test
    void moreDataSamplesThanOutputsIsRejected() throws Exception {
        ReferenceOutputs written = reference(2, 1);
        Path file = directory.resolve("reference-outputs.npz");
        ReferenceOutputsFile.write(written, file);
        List<Sample> inputs = new ArrayList<>(written.inputs());
        inputs.add(written.inputs().get(0));

        assertThatThrownBy(() -> ReferenceOutputsFile.read(file, inputs))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("more than 2 samples");
    }

    @Test
    void fileWithoutMetadataIsRejected() throws Exception {
        Path file = directory.resolve("other.npz");
        dev.quantfleet.engine.data.NpyWriter.writeNpz(file,
                Map.of("x", dev.quantfleet.engine.data.NpyWriter.Array.floats(new long[] {1}, 1f)), false);

        assertThatThrownBy(() -> ReferenceOutputsFile.read(file, List.of()))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(ReferenceOutputsFile.METADATA_ENTRY);
    }

    /** Samples with a float embedding [1, 4] and a softmax output [1, 3] drawn from {@code seed}. */
    private static ReferenceOutputs reference(int sampleCount, long seed) {
        Random random = new Random(seed);
        List<EvaluatedSample> samples = new ArrayList<>();
        for (int index = 0; index < sampleCount; index++) {
            float[] embedding = new float[4];
            for (int i = 0; i < embedding.length; i++) {
                embedding[i] = (float) random.nextGaussian();
            }
            Sample input = new Sample("sample " + index,
                    Map.of("x", TensorValue.ofFloats(new long[] {1, 4}, embedding.clone())));
            samples.add(new EvaluatedSample(input, List.of(
                    new OutputTensor("embedding", new long[] {1, 4}, embedding),
                    new OutputTensor("probabilities", new long[] {1, 3}, softmax(random)))));
        }
        return ReferenceOutputs.of(samples);
    }

    private static float[] softmax(Random random) {
        double[] exponentials = {Math.exp(random.nextGaussian()), Math.exp(random.nextGaussian()),
            Math.exp(random.nextGaussian())};
        double sum = exponentials[0] + exponentials[1] + exponentials[2];
        return new float[] {(float) (exponentials[0] / sum), (float) (exponentials[1] / sum),
            (float) (exponentials[2] / sum)};
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
