package dev.quantfleet.engine.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalibrationStatisticsTest {

    @Test
    void jsonRoundTripIsExact() {
        CalibrationStatistics statistics = sampleStatistics();

        CalibrationStatistics restored = CalibrationStatistics.fromJson(statistics.toJson());

        assertThat(restored).isEqualTo(statistics);
        assertThat(restored.toJson()).isEqualTo(statistics.toJson());
        assertThat(restored.tensor("b").histogram()).containsExactly(statistics.tensor("b").histogram());
        assertThat(restored.tensor("b").min()).isEqualTo(statistics.tensor("b").min());
    }

    @Test
    void jsonListsTensorsByName() {
        String json = sampleStatistics().toJson();

        assertThat(json).startsWith("{\"formatVersion\":1,\"tensors\":{\"a\":{\"numBins\":64,\"count\":");
        assertThat(json.indexOf("\"a\":")).isLessThan(json.indexOf("\"b\":"));
        assertThat(json.indexOf("\"b\":")).isLessThan(json.indexOf("\"empty\":"));
    }

    @Test
    void insertionOrderDoesNotChangeHash() {
        Map<String, TensorStatistics> forward = new LinkedHashMap<>();
        Map<String, TensorStatistics> backward = new LinkedHashMap<>();
        TensorStatistics first = randomStatistics(1);
        TensorStatistics second = randomStatistics(2);
        forward.put("x", first);
        forward.put("y", second);
        backward.put("y", second);
        backward.put("x", first);

        String hash = new CalibrationStatistics(forward).contentHash();

        assertThat(hash).hasSize(64).matches("[0-9a-f]+");
        assertThat(new CalibrationStatistics(backward).contentHash()).isEqualTo(hash);
        assertThat(new CalibrationStatistics(Map.of("x", first)).contentHash()).isNotEqualTo(hash);
    }

    @Test
    void emptyTensorKeepsInfiniteBounds() {
        CalibrationStatistics restored = CalibrationStatistics.fromJson(sampleStatistics().toJson());

        TensorStatistics empty = restored.tensor("empty");
        assertThat(empty.min()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(empty.max()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(empty.nanCount()).isEqualTo(1);
    }

    @Test
    void fileRoundTrip(@TempDir Path folder) {
        CalibrationStatistics statistics = sampleStatistics();
        Path file = folder.resolve("calibration.json");

        statistics.write(file);

        assertThat(CalibrationStatistics.read(file)).isEqualTo(statistics);
    }

    @Test
    void embedsInOtherJsonDocuments() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> document = Map.of("method", CalibrationMethod.MinMSE, "statistics", sampleStatistics());

        String json = mapper.writeValueAsString(document);
        var tree = mapper.readTree(json);

        assertThat(tree.get("method").asText()).isEqualTo("MinMSE");
        assertThat(mapper.treeToValue(tree.get("statistics"), CalibrationStatistics.class)).isEqualTo(sampleStatistics());
        assertThat(mapper.readValue("\"min_mse\"", CalibrationMethod.class)).isEqualTo(CalibrationMethod.MinMSE);
    }

    @Test
    void mergeCombinesTensorByTensor() {
        TensorStatistics left = randomStatistics(3);
        TensorStatistics right = randomStatistics(4);
        TensorStatistics combined = left.copy();
        combined.merge(right);

        CalibrationStatistics merged = new CalibrationStatistics(Map.of("t", left, "only_left", left))
                .merge(new CalibrationStatistics(Map.of("t", right)));

        assertThat(merged.tensor("t")).isEqualTo(combined);
        assertThat(merged.tensor("only_left")).isEqualTo(left);
    }

    @Test
    void rejectsOtherFormatVersion() {
        assertThatThrownBy(() -> CalibrationStatistics.fromJson("{\"formatVersion\":2,\"tensors\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format version 2");
    }

    @Test
    void rejectsHistogramThatContradictsCount() {
        String json = "{\"formatVersion\":1,\"tensors\":{\"t\":{\"numBins\":8,\"count\":5,\"nanCount\":0,"
                + "\"positiveInfinityCount\":0,\"negativeInfinityCount\":0,\"min\":0.5,\"max\":1.0,"
                + "\"rangeExponent\":1,\"firstBin\":4,\"binCounts\":[1,2]}}}";

        assertThatThrownBy(() -> CalibrationStatistics.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains 3 values, but count is 5");
    }

    @Test
    void unknownTensorIsReported() {
        assertThatThrownBy(() -> sampleStatistics().tensor("missing"))
                .hasMessageContaining("Tensor 'missing' was not calibrated")
                .hasMessageContaining("[a, b, empty]");
    }

    private static CalibrationStatistics sampleStatistics() {
        Map<String, TensorStatistics> tensors = new LinkedHashMap<>();
        tensors.put("b", randomStatistics(9));
        tensors.put("a", randomStatistics(10));
        TensorStatistics empty = new TensorStatistics(64);
        empty.add(new float[] {Float.NaN}, 0, 1);
        tensors.put("empty", empty);
        return new CalibrationStatistics(tensors);
    }

    private static TensorStatistics randomStatistics(long seed) {
        Random random = new Random(seed);
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.1 + 0.3);
        }
        TensorStatistics statistics = new TensorStatistics(64);
        statistics.add(values, 0, values.length);
        return statistics;
    }
}
