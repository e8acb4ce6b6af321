package dev.quantfleet.engine.report;

import dev.quantfleet.engine.search.SensitivityMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.engine.quantize.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchReportJsonTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void roundTripGivesEqualReportAndText() {
        SearchReport report = SampleReports.sample();

        String json = report.toJson();
        SearchReport read = SearchReport.fromJson(json);

        assertThat(read).isEqualTo(report);
        assertThat(read.toJson()).isEqualTo(json);
    }

    @Test
    void topLevelPropertiesInSchemaOrder() throws Exception {
        JsonNode tree = PLAIN.readTree(SampleReports.sample().toJson());

        assertThat(fieldNames(tree)).containsExactly("schemaVersion", "goal", "acceptable", "winner", "baseline",
                "candidates", "sensitivity", "paretoFront", "search", "provenance");
        assertThat(tree.get("schemaVersion").intValue()).isEqualTo(1);
        assertThat(fieldNames(tree.get("goal"))).containsExactly("metric", "direction", "maxDrop", "dropMode",
                "objective", "budget");
        assertThat(fieldNames(tree.at("/baseline/cost"))).containsExactly("modelBytes", "integerMacShare", "latency");
        assertThat(fieldNames(tree.get("provenance"))).containsExactly("quantfleetVersion", "onnxRuntimeVersion",
                "executionProvider", "threads", "cpuFeatures", "device");
    }

    @Test
    void enumsUseDocumentedSpellings() throws Exception {
        JsonNode tree = PLAIN.readTree(SampleReports.sample().toJson());

        assertThat(tree.at("/goal/direction").textValue()).isEqualTo("HIGHER_IS_BETTER");
        assertThat(tree.at("/goal/dropMode").textValue()).isEqualTo("absolute");
        assertThat(tree.at("/goal/objective").textValue()).isEqualTo("size");
        assertThat(tree.at("/winner/nodesInHigherPrecision/0/precision").textValue()).isEqualTo("float");
        assertThat(tree.at("/winner/nodesInHigherPrecision/1/precision").textValue()).isEqualTo("int16");
        assertThat(tree.at("/sensitivity/0/mode").textValue()).isEqualTo("only-quantized");
        assertThat(tree.at("/sensitivity/5/mode").textValue()).isEqualTo("only-float");
        assertThat(tree.at("/candidates/0/kind").textValue()).isEqualTo("EVALUATE");
        assertThat(tree.at("/candidates/12/status").textValue()).isEqualTo("UNSUPPORTED");
        assertThat(tree.at("/paretoFront/costAxis").textValue()).isEqualTo("modelBytes");
    }

    @Test
    void metricsAreSortedByName() throws Exception {
        JsonNode tree = PLAIN.readTree(SampleReports.sample().toJson());

        assertThat(fieldNames(tree.at("/baseline/metrics"))).containsExactly("cosine", "mse");
        assertThat(fieldNames(tree.at("/winner/metrics"))).containsExactly("cosine", "mse");
    }

    @Test
    void configIsCanonicalQuantConfigObject() throws Exception {
        SearchReport report = SampleReports.sample();
        JsonNode tree = PLAIN.readTree(report.toJson());

        JsonNode winnerConfig = tree.at("/winner/config");
        assertThat(winnerConfig.isObject()).isTrue();
        assertThat(winnerConfig).isEqualTo(PLAIN.readTree(report.winner().config().toJson()));
        assertThat(QuantConfig.fromJson(winnerConfig.toString())).isEqualTo(report.winner().config());
        assertThat(tree.at("/candidates/9/config/nodeOverrides/~1pooler~1Gemm/activationType").textValue())
                .isEqualTo("QUInt16");
    }

    @Test
    void failedCandidateHasReasonAndNullCost() throws Exception {
        JsonNode failed = PLAIN.readTree(SampleReports.sample().toJson()).at("/candidates/13");

        assertThat(failed.get("status").textValue()).isEqualTo("FAILED");
        assertThat(failed.get("reason").textValue()).contains("No space left on device");
        assertThat(failed.get("cost").isNull()).isTrue();
        assertThat(failed.get("metrics").size()).isZero();
    }

    @Test
    void withoutTimingIgnoresTimingChanges() {
        SearchReport first = SampleReports.sample(42, "node", 0, 12_345);
        SearchReport second = SampleReports.sample(42, "node", 0.37, 13_001);

        assertThat(first.toJson()).isNotEqualTo(second.toJson());
        assertThat(first.toJsonWithoutTiming()).isEqualTo(second.toJsonWithoutTiming());
    }

    @Test
    void withoutTimingDropsOnlyTimingFields() throws Exception {
        SearchReport report = SampleReports.sample();
        JsonNode full = PLAIN.readTree(report.toJson());
        JsonNode stripped = PLAIN.readTree(report.toJsonWithoutTiming());

        assertThat(report.toJsonWithoutTiming()).doesNotContain("latency", "wallTimeMs", "medianMs");
        assertThat(fieldNames(stripped.get("search"))).containsExactly("strategy", "seed", "rounds", "trials",
                "stopReason", "threads");
        assertThat(fieldNames(stripped.at("/winner/cost"))).containsExactly("modelBytes", "integerMacShare");
        assertThat(stripped.at("/candidates/0/cost/modelBytes")).isEqualTo(full.at("/candidates/0/cost/modelBytes"));
        assertThat(stripped.get("sensitivity")).isEqualTo(full.get("sensitivity"));
        assertThat(stripped.get("candidates").size()).isEqualTo(14);
    }

    @Test
    void withoutTimingStillSeesOtherDifferences() {
        SearchReport first = SampleReports.sample(42, "node", 0, 1);
        SearchReport otherSeed = SampleReports.sample(43, "node", 0, 1);

        assertThat(first.toJsonWithoutTiming()).isNotEqualTo(otherSeed.toJsonWithoutTiming());
    }

    @Test
    void nonFiniteDropSurvivesRoundTrip() {
        SearchReport sample = SampleReports.sample();
        List<NodeSensitivity> sensitivity = new ArrayList<>(sample.sensitivity());
        sensitivity.add(new NodeSensitivity("zero_reference", "Add", SensitivityMode.ONLY_QUANTIZED, 0.5,
                Double.POSITIVE_INFINITY, false));
        sensitivity.add(new NodeSensitivity("diverged", "Add", SensitivityMode.ONLY_QUANTIZED, Double.NaN,
                Double.NaN, false));
        SearchReport report = new SearchReport(sample.goal(), sample.acceptable(), sample.winner(), sample.baseline(),
                sample.candidates(), sensitivity, sample.paretoFront(), sample.search(), sample.provenance());

        String json = report.toJson();

        assertThat(json).contains("\"drop\" : \"Infinity\"", "\"metricValue\" : \"NaN\"");
        assertThat(SearchReport.fromJson(json)).isEqualTo(report);
    }

    @Test
    void rejectsOtherSchemaVersion() {
        String json = SampleReports.sample().toJson().replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 2");

        assertThatThrownBy(() -> SearchReport.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("version 1");
    }

    @Test
    void rejectsUnknownProperty() {
        String json = SampleReports.sample().toJson().replaceFirst("\"acceptable\"", "\"surprise\" : 1,\n  \"acceptable\"");

        assertThatThrownBy(() -> SearchReport.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surprise")
                .hasMessageContaining("docs/report-schema.md");
    }

    @Test
    void rejectsInvalidConfig() {
        String json = SampleReports.sample().toJson().replaceFirst("\"weightType\" : \"QInt8\"", "\"weightType\" : \"QInt3\"");

        assertThatThrownBy(() -> SearchReport.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QInt3");
    }

    @Test
    void rejectsWinnerMissingFromCandidates() {
        SearchReport sample = SampleReports.sample();

        assertThatThrownBy(() -> new SearchReport(sample.goal(), true, sample.winner(), sample.baseline(),
                sample.candidates().subList(0, 2), List.of(), new ParetoFront("cosine", CostAxis.MODEL_BYTES, List.of()),
                sample.search(), sample.provenance()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Winner " + sample.winner().candidateId() + " is not among the candidates");
    }

    @Test
    void rejectsDuplicateCandidateIds() {
        SearchReport sample = SampleReports.sample();
        List<CandidateEntry> doubled = List.of(sample.candidates().get(0), sample.candidates().get(0));

        assertThatThrownBy(() -> new SearchReport(sample.goal(), false, null, sample.baseline(), doubled, List.of(),
                new ParetoFront("cosine", CostAxis.MODEL_BYTES, List.of()), sample.search(), sample.provenance()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c00 appears twice");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static Lineage sampleLineage(SearchReport report) {
        return new Lineage("req-0041", "2", report.winner().candidateId(), "models-bucket/models/chain/3/model.onnx#v3",
                "S3_EVENT", "models-bucket", "models/chain/3/model.onnx", "v3", "9b2cf535f27731c974343645a3985328");
    }

    @Test
    void lineageRoundTripsAsLastProperty() throws Exception {
        SearchReport report = SampleReports.sample().withLineage(sampleLineage(SampleReports.sample()));

        String json = report.toJson();
        JsonNode tree = PLAIN.readTree(json);

        assertThat(fieldNames(tree)).endsWith("provenance", "lineage");
        assertThat(fieldNames(tree.get("lineage"))).containsExactly("previousRequestId", "previousModelVersion",
                "previousWinnerCandidateId", "eventId", "eventSource", "bucket", "objectKey", "objectVersionId",
                "objectETag");
        assertThat(tree.at("/lineage/previousRequestId").textValue()).isEqualTo("req-0041");
        assertThat(SearchReport.fromJson(json)).isEqualTo(report);
        assertThat(SearchReport.fromJson(json).toJson()).isEqualTo(json);
    }

    @Test
    void reportWithoutLineageLeavesItOut() {
        SearchReport report = SampleReports.sample();

        String json = report.toJson();

        assertThat(json).doesNotContain("lineage");
        assertThat(SearchReport.fromJson(json).lineage()).isNull();
        assertThat(report.withLineage(sampleLineage(report)).withLineage(null).toJson()).isEqualTo(json);
    }
}
