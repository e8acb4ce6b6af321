package dev.quantfleet.engine.calibration;

import dev.quantfleet.engine.data.Sample;
import dev.quantfleet.engine.data.TensorValue;
import dev.quantfleet.engine.onnx.ElementType;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.ValueInfoProto;
import dev.quantfleet.engine.testing.ListSampleSource;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibratorTest {

    private static final int ROWS = 4;
    private static final int COLUMNS = 3;
    private static final int BINS = 512;

    private final Random random = new Random(42);
    private final float[] weights = randomValues(ROWS * COLUMNS, 1f);
    private final ModelProto model = TinyModels.matMulRelu(weights, ROWS, COLUMNS);

    @Test
    void statisticsMatchValuesComputedInJava() throws Exception {
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inputs.add(randomValues(2 * ROWS, 3f));
        }

        CalibrationStatistics statistics = new Calibrator(model, List.of("x", "h", "y"), 1, BINS)
                .calibrate(samples(inputs));

        TensorStatistics expectedX = new TensorStatistics(BINS);
        TensorStatistics expectedH = new TensorStatistics(BINS);
        TensorStatistics expectedY = new TensorStatistics(BINS);
        for (float[] input : inputs) {
            float[] h = matMul(input);
            float[] y = relu(h);
            expectedX.add(input, 0, input.length);
            expectedH.add(h, 0, h.length);
            expectedY.add(y, 0, y.length);
        }
        assertThat(statistics.tensors()).containsOnlyKeys("x", "h", "y");
        assertThat(statistics.tensor("x")).isEqualTo(expectedX);
        assertSameSummary(statistics.tensor("h"), expectedH);
        assertSameSummary(statistics.tensor("y"), expectedY);
        assertThat(statistics.tensor("y").min()).isZero();
        assertThat(statistics.tensor("h").min()).isNegative();
    }

    @Test
    void repeatedCalibrationGivesEqualStatistics() throws Exception {
        List<float[]> inputs = List.of(randomValues(ROWS, 1f), randomValues(3 * ROWS, 2f));
        Calibrator calibrator = new Calibrator(model, List.of("h", "y"), 2, BINS);

        String first = calibrator.calibrate(samples(inputs)).contentHash();
        String second = calibrator.calibrate(samples(inputs)).contentHash();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void augmentedModelExposesCalibratedNodeOutputs() {
        Calibrator calibrator = new Calibrator(model, List.of("x", "h", "y"), 1, BINS);

        GraphProto graph = calibrator.augmentedModel().getGraph();

        assertThat(graph.getOutputList()).extracting(ValueInfoProto::getName).containsExactly("y", "h");
        assertThat(graph.getOutput(1).getType().getTensorType().getElemType()).isEqualTo(ElementType.FLOAT.code());
        assertThat(graph.getNodeList()).isEqualTo(model.getGraph().getNodeList());
    }

    @Test
    void rejectsInitializer() {
        assertThatThrownBy(() -> new Calibrator(model, List.of("W"), 1, BINS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor 'W' is an initializer");
    }

    @Test
    void rejectsUnknownTensor() {
        assertThatThrownBy(() -> new Calibrator(model, List.of("h", "nowhere"), 1, BINS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[nowhere]");
    }

    @Test
    void rejectsTensorDeclaredAsInteger() {
        ModelProto withShape = withShapeNode();

        assertThatThrownBy(() -> new Calibrator(withShape, List.of("shape"), 1, BINS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor 'shape' is declared as INT64");
    }

    @Test
    void undeclaredIntegerTensorFailsInOnnxRuntime() {
        ModelProto withShape = withShapeNode();
        ModelProto undeclared = withShape.toBuilder()
                .setGraph(withShape.getGraph().toBuilder().clearValueInfo())
                .build();
        Calibrator calibrator = new Calibrator(undeclared, List.of("shape"), 1, BINS);

        assertThatThrownBy(() -> calibrator.calibrate(samples(List.<float[]>of(randomValues(ROWS, 1f)))))
                .hasMessageContaining("ONNX Runtime rejected the model with 1 calibration outputs added");
    }

    @Test
    void floatTensorsSkipIntegerValues() throws Exception {
        ModelProto withShape = withShapeNode();
        ModelProto undeclared = withShape.toBuilder()
                .setGraph(withShape.getGraph().toBuilder().clearValueInfo())
                .build();

        assertThat(CalibrationTargets.floatTensors(undeclared)).containsExactly("x", "h", "y");
    }

    /** Builds the MatMul-Relu model with {@code shape = Shape(h)} added, declared INT64 in value_info. */
    private ModelProto withShapeNode() {
        GraphProto graph = model.getGraph().toBuilder()
                .addNode(TinyModels.node("Shape", "shape_of_h", new String[] {"h"}, "shape"))
                .addValueInfo(TinyModels.tensor("shape", ElementType.INT64, 2L))
                .build();
        return TinyModels.model(graph);
    }

    private static void assertSameSummary(TensorStatistics actual, TensorStatistics expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.min()).isCloseTo(expected.min(), within(1e-5));
        assertThat(actual.max()).isCloseTo(expected.max(), within(1e-5));
        assertThat(actual.rangeExponent()).isEqualTo(expected.rangeExponent());
    }

    private ListSampleSource samples(List<float[]> inputs) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            float[] input = inputs.get(i);
            TensorValue x = TensorValue.ofFloats(new long[] {input.length / ROWS, ROWS}, input);
            samples.add(new Sample("sample " + i, Map.of("x", x)));
        }
        return new ListSampleSource("in-memory samples", samples);
    }

    /** {@code x · W} for {@code x: [batch, ROWS]}, accumulating in double. */
    private float[] matMul(float[] x) {
        float[] result = new float[x.length / ROWS * COLUMNS];
        int rows = x.length / ROWS;
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < COLUMNS; column++) {
                double sum = 0;
                for (int k = 0; k < ROWS; k++) {
                    sum += (double) x[row * ROWS + k] * weights[k * COLUMNS + column];
                }
                result[row * COLUMNS + column] = (float) sum;
            }
        }
        return result;
    }

    private static float[] relu(float[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = Math.max(0, values[i]);
        }
        return result;
    }

    private float[] randomValues(int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }
}
