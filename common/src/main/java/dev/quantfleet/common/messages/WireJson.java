package dev.quantfleet.common.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.quantfleet.engine.search.SearchIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON form of every message: UTF-8, properties in record component order, map entries
 * sorted by key, null fields written as {@code null}. Equal records give byte-identical JSON.
 * Kafka-free; the services wrap a {@link WireCodec} in a Kafka serializer.
 *
 * <p>Reading rules:
 * <ul>
 *   <li>Unknown fields are ignored, so a producer may add fields before the consumers know them.
 *       Quantization configs are the exception, see {@link QuantConfigJsonModule}.</li>
 *   <li>A {@code schemaVersion} newer than {@link WireMessage#CURRENT_SCHEMA_VERSION} is rejected,
 *       naming both versions.</li>
 *   <li>Duplicate keys, trailing content and type coercions (a string for a whole number or a
 *       boolean, a number for a string or an enum, a fraction for a whole number) are errors.
 *       A number may be the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"},
 *       because JSON has no literal for them.</li>
 *   <li>Required fields are checked, and every record checks its own invariants. Any failure
 *       raises {@link WireFormatException} naming the type and the problem; no partial record
 *       is returned.</li>
 * </ul>
 */
public final class WireJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, coercion -> coercion
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, coercion -> coercion
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, coercion -> coercion
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(QuantConfigJsonModule.create())
            .build();

    public static final WireCodec<QuantizationRequest> REQUEST = new WireCodec<>(QuantizationRequest.class);
    public static final WireCodec<Task> TASK = new WireCodec<>(Task.class);
    public static final WireCodec<TaskResult> TASK_RESULT = new WireCodec<>(TaskResult.class);
    public static final WireCodec<RoundOpened> ROUND_OPENED = new WireCodec<>(RoundOpened.class);
    public static final WireCodec<RoundCompleted> ROUND_COMPLETED = new WireCodec<>(RoundCompleted.class);
    public static final WireCodec<SearchOutcome> SEARCH_OUTCOME = new WireCodec<>(SearchOutcome.class);
    public static final WireCodec<ModelVersionPublished> MODEL_VERSION_PUBLISHED =
            new WireCodec<>(ModelVersionPublished.class);
    public static final WireCodec<DeadLetter> DEAD_LETTER = new WireCodec<>(DeadLetter.class);

    private WireJson() {
    }

    /** Returns the compact UTF-8 JSON of {@code message}. */
    public static byte[] toBytes(WireMessage message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing a " + message.getClass().getSimpleName() + " as JSON failed", e);
        }
    }

    /** Returns the indented JSON of {@code message}, for documentation and logs. */
    public static String toPrettyJson(WireMessage message) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing a " + message.getClass().getSimpleName() + " as JSON failed", e);
        }
    }

    /**
     * Reads a {@code type} from UTF-8 JSON.
     *
     * @throws WireFormatException naming {@code type} and the problem when the payload is empty,
     *                             not JSON, of a newer schema version, or an invalid record
     */
    public static <T extends WireMessage> T fromBytes(byte[] payload, Class<T> type) {
        String typeName = type.getSimpleName();
        JsonNode tree;
        try {
            tree = readTree(payload);
        } catch (JsonProcessingException e) {
            throw new WireFormatException(typeName, WireJsonErrors.describe(e), e);
        }
        checkSchemaVersion(tree, typeName);
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new WireFormatException(typeName, WireJsonErrors.describe(e), e);
        }
    }

    /**
     * Returns the text field {@code requestId} of a payload that may be invalid otherwise, so that
     * the coordinator can reject a malformed request by id; empty when the payload is not a JSON
     * object with a text {@code requestId}.
     */
    public static Optional<String> peekRequestId(byte[] payload) {
        try {
            JsonNode requestId = readTree(payload).path("requestId");
            return requestId.isTextual() ? Optional.of(requestId.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Reads a JSON object with the strict parser settings; an empty or non-object payload is an error. */
    static JsonNode readTree(byte[] payload) throws JsonProcessingException {
        if (payload == null || payload.length == 0) {
            throw new NotAnObjectException("the payload is empty; expected a JSON object");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading an in-memory payload failed", e);
        }
        if (!tree.isObject()) {
            throw new NotAnObjectException("the payload is a JSON " + tree.getNodeType().name().toLowerCase(Locale.ROOT)
                    + "; expected a JSON object");
        }
        return tree;
    }

    static String sha256Hex(byte[] bytes) {
        return SearchIds.sha256Hex(new String(bytes, StandardCharsets.UTF_8));
    }

    private static void checkSchemaVersion(JsonNode tree, String typeName) {
        JsonNode version = tree.get("schemaVersion");
        if (version == null || version.isNull()) {
            throw new WireFormatException(typeName, "field schemaVersion is missing; it is required", null);
        }
        if (!version.isIntegralNumber() || !version.canConvertToLong()) {
            throw new WireFormatException(typeName, "field schemaVersion must be a whole number, but is " + version,
                    null);
        }
        if (version.longValue() > WireMessage.CURRENT_SCHEMA_VERSION) {
            throw new WireFormatException(typeName, WireChecks.newerVersionMessage(typeName, version.longValue()),
                    null);
        }
    }

    /** A payload that is empty, or valid JSON but not an object. */
    static final class NotAnObjectException extends JsonProcessingException {
        NotAnObjectException(String message) {
            super(message);
        }
    }
}
