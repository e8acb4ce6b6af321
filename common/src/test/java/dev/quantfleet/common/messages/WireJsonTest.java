package dev.quantfleet.common.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireJsonTest {

    private static final ObjectMapper TREES = new ObjectMapper();

    static Stream<Arguments> samples() {
        return WireSamples.all().entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void roundTripGivesEqualRecordAndBytes(String label, WireMessage message) {
        byte[] bytes = WireJson.toBytes(message);

        WireMessage read = WireJson.fromBytes(bytes, message.getClass());

        assertThat(read).isEqualTo(message);
        assertThat(WireJson.toBytes(read)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void unknownFieldsAreIgnored(String label, WireMessage message) throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(message));
        tree.put("addedInVersion1Point1", "ignored");
        tree.putObject("futureObject").put("nested", 3);

        WireMessage read = WireJson.fromBytes(TREES.writeValueAsBytes(tree), message.getClass());

        assertThat(read).isEqualTo(message);
    }

    @Test
    void nestedUnknownFieldsAreIgnored() throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(WireSamples.evaluateTask()));
        ((ObjectNode) tree.path("artifacts").path("model").path("onnx")).put("storageClass", "STANDARD");
        ((ObjectNode) tree.path("settings")).put("gpuIndex", 0);

        Task read = WireJson.TASK.fromBytes(TREES.writeValueAsBytes(tree));

        assertThat(read).isEqualTo(WireSamples.evaluateTask());
    }

    @Test
    void provenanceWithoutDeviceParses() throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(WireSamples.okResult()));
        ((ObjectNode) tree.path("provenance")).remove("device");

        TaskResult read = WireJson.TASK_RESULT.fromBytes(TREES.writeValueAsBytes(tree));

        assertThat(read.provenance().device()).isNull();
        assertThat(read.provenance().executionProvider()).isEqualTo("CPUExecutionProvider");
        assertThat(read.provenance().cpuFeatures()).isEqualTo("amd64: avx avx2 fma");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void newerSchemaVersionIsRejected(String label, WireMessage message) throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(message));
        tree.put("schemaVersion", 2);
        String type = message.getClass().getSimpleName();

        assertThatThrownBy(() -> WireJson.fromBytes(TREES.writeValueAsBytes(tree), message.getClass()))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining(type)
                .hasMessageContaining("schemaVersion 2")
                .hasMessageContaining("versions up to 1")
                .hasMessageContaining("upgrade the consumer");
    }

    @Test
    void schemaVersionZeroIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(replace(WireSamples.evaluateTask(), "schemaVersion", 0)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("schemaVersion is 0");
    }

    @Test
    void missingSchemaVersionIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(remove(WireSamples.evaluateTask(), "schemaVersion")))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Invalid Task payload: field schemaVersion is missing; it is required");
    }

    @Test
    void truncatedJsonIsRejected() {
        byte[] bytes = WireJson.toBytes(WireSamples.request());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

        assertThatThrownBy(() -> WireJson.REQUEST.fromBytes(truncated))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("Invalid QuantizationRequest payload: the JSON ends early")
                .hasMessageContaining("truncated");
    }

    @Test
    void emptyAndNonObjectPayloadsAreRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(new byte[0]))
                .hasMessage("Invalid Task payload: the payload is empty; expected a JSON object");
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(null))
                .hasMessage("Invalid Task payload: the payload is empty; expected a JSON object");
        assertThatThrownBy(() -> WireJson.TASK.fromBytes("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("Invalid Task payload: the payload is a JSON array; expected a JSON object");
    }

    @Test
    void trailingContentIsRejected() {
        byte[] bytes = (new String(WireJson.toBytes(WireSamples.modelEvent()), StandardCharsets.UTF_8) + " {}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireJson.MODEL_VERSION_PUBLISHED.fromBytes(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("ModelVersionPublished");
    }

    @Test
    void duplicateKeyIsRejected() {
        byte[] bytes = "{\"schemaVersion\": 1, \"schemaVersion\": 1}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireJson.TASK.fromBytes(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field 'schemaVersion' appears twice");
    }

    @Test
    void textForWholeNumberIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(replace(WireSamples.evaluateTask(), "round", "1")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field round must be a whole number");
    }

    @Test
    void fractionForWholeNumberIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(replace(WireSamples.evaluateTask(), "attempt", 1.5)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field attempt");
    }

    @Test
    void numberForTextIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK_RESULT.fromBytes(replace(WireSamples.okResult(), "workerId", 7)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field workerId must be a string");
    }

    @Test
    void unknownEnumValueIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(replace(WireSamples.evaluateTask(), "kind", "TRAIN")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field kind must be one of [BASELINE, CALIBRATE, EVALUATE, SENSITIVITY]")
                .hasMessageContaining("'TRAIN'");
    }

    @Test
    void textForBooleanIsRejected() throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(WireSamples.evaluateTask()));
        ((ObjectNode) tree.path("settings")).put("measureLatency", "yes");

        assertThatThrownBy(() -> WireJson.TASK.fromBytes(TREES.writeValueAsBytes(tree)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field settings.measureLatency must be true or false");
    }

    @Test
    void missingRequiredFieldIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(remove(WireSamples.evaluateTask(), "taskId")))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Invalid Task payload: field taskId is missing; it is required");
    }

    @Test
    void missingRequiredPrimitiveIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(remove(WireSamples.evaluateTask(), "seed")))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Invalid Task payload: field seed is missing; it is required");
    }

    @Test
    void missingNestedFieldNamesItsPath() throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(WireSamples.evaluateTask()));
        ((ObjectNode) tree.path("artifacts").path("model").path("onnx")).remove("sha256");

        assertThatThrownBy(() -> WireJson.TASK.fromBytes(TREES.writeValueAsBytes(tree)))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Invalid Task payload: field artifacts.model.onnx.sha256 is missing; it is required");
    }

    @Test
    void nullForRequiredFieldIsRejected() {
        assertThatThrownBy(() -> WireJson.TASK.fromBytes(replaceWithNull(WireSamples.evaluateTask(), "requestId")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("requestId is missing; it is required");
    }

    @Test
    void invalidValueNamesFieldAndRule() throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(WireSamples.request()));
        ((ObjectNode) tree.path("model").path("onnx")).put("sha256", "ABC");

        assertThatThrownBy(() -> WireJson.REQUEST.fromBytes(TREES.writeValueAsBytes(tree)))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("Invalid QuantizationRequest payload: in model.onnx, Invalid sha256 'ABC':"
                        + " expected 64 lowercase hex digits");
    }

    @Test
    void inconsistentTaskIdIsRejected() {
        byte[] bytes = replace(WireSamples.evaluateTask(), "round", 7);

        assertThatThrownBy(() -> WireJson.TASK.fromBytes(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("but requestId, round, kind and candidateId give 'req-2024-0001/r0007/EVALUATE/");
    }

    @Test
    void unknownConfigPropertyIsRejected() throws Exception {
        ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(WireSamples.evaluateTask()));
        ((ObjectNode) tree.path("config")).put("blockSize", 32);

        assertThatThrownBy(() -> WireJson.TASK.fromBytes(TREES.writeValueAsBytes(tree)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("field config is not a valid quantization config")
                .hasMessageContaining("unknown property 'blockSize'");
    }

    @Test
    void invalidPoolIsRejected() {
        assertThatThrownBy(() -> WireJson.REQUEST.fromBytes(replace(WireSamples.request(), "pool", "GPU pool")))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("Invalid pool name 'GPU pool'");
    }

    @Test
    void absentPoolDefaultsToCpu() {
        QuantizationRequest read = WireJson.REQUEST.fromBytes(remove(WireSamples.request(), "pool"));

        assertThat(read.pool()).isEqualTo("cpu");
    }

    @Test
    void notANumberMetricSurvivesRoundTrip() {
        TaskResult sample = WireSamples.okResult();
        java.util.Map<String, Double> metrics = new java.util.TreeMap<>(WireSamples.metrics());
        metrics.put("sqnr", Double.NaN);
        metrics.put("kl", Double.POSITIVE_INFINITY);
        TaskResult withNaN = TaskResult.of(WireSamples.evaluateTask(),
                dev.quantfleet.engine.evaluation.Evaluation.ok(metrics, WireSamples.cost(), List.of()),
                sample.artifacts(), sample.timings(), sample.workerId(), sample.provenance());

        TaskResult read = WireJson.TASK_RESULT.fromBytes(WireJson.toBytes(withNaN));

        assertThat(read).isEqualTo(withNaN);
        assertThat(read.evaluation().metrics().get("sqnr")).isNaN();
    }

    @Test
    void identityIgnoresIdsAndTimestamps() {
        QuantizationRequest request = WireSamples.request();
        QuantizationRequest resubmitted = new QuantizationRequest(1, "req-other", request.model(),
                request.calibrationData(), request.evaluationData(), request.labels(), request.goal(),
                request.strategy(), request.budget(), request.seed(), request.pool(), request.warmStart(), "bob",
                "cli", 1_800_000_000_000L);
        QuantizationRequest reseeded = new QuantizationRequest(1, request.requestId(), request.model(),
                request.calibrationData(), request.evaluationData(), request.labels(), request.goal(),
                request.strategy(), request.budget(), 43L, request.pool(), request.warmStart(),
                request.submittedBy(), request.source(), request.createdAtMs());

        assertThat(resubmitted.identitySha256()).isEqualTo(request.identitySha256());
        assertThat(reseeded.identitySha256()).isNotEqualTo(request.identitySha256());
        assertThat(request.identitySha256()).matches("[0-9a-f]{64}");
    }

    @Test
    void peekRequestIdReadsInvalidRequest() {
        byte[] invalid = replace(WireSamples.request(), "strategy", 5);

        assertThat(WireJson.peekRequestId(invalid)).contains(WireSamples.REQUEST_ID);
        assertThat(WireJson.peekRequestId("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    private static byte[] remove(WireMessage message, String field) {
        try {
            ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(message));
            tree.remove(field);
            return TREES.writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] replaceWithNull(WireMessage message, String field) {
        try {
            ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(message));
            tree.putNull(field);
            return TREES.writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] replace(WireMessage message, String field, Object value) {
        try {
            ObjectNode tree = (ObjectNode) TREES.readTree(WireJson.toBytes(message));
            JsonNode node = TREES.valueToTree(value);
            tree.set(field, node);
            return TREES.writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
