package dev.quantfleet.coordinator.aggregation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.RoundTaskStatus;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.Map;

/**
 * JSON form of a {@link RoundState} in the state store and its changelog topic. The plan is
 * embedded in its wire form, so {@link WireJson} checks it again on reading:
 *
 * <pre>
 * {"plan": {RoundOpened}, "retryTimeoutMs": 60000, "deadlineMs": 1700000000000,
 *  "attempts": {"taskId": 2}, "statuses": {"taskId": "OK"}, "closed": true, "closedAtMs": 1700000001000,
 *  "deadlineReached": false}
 * </pre>
 *
 * A state written before {@code closedAtMs} existed reads as closed at 0 (the epoch), so a closed
 * one of them is deleted at the next retention check.
 */
final class RoundStateSerde implements Serde<RoundState>, Serializer<RoundState>, Deserializer<RoundState> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Integer>> ATTEMPTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, RoundTaskStatus>> STATUSES = new TypeReference<>() {
    };

    @Override
    public byte[] serialize(String topic, RoundState state) {
        if (state == null) {
            return null;
        }
        try {
            ObjectNode node = MAPPER.createObjectNode();
            node.set("plan", MAPPER.readTree(WireJson.toBytes(state.plan())));
            node.put("retryTimeoutMs", state.retryTimeoutMs());
            node.put("deadlineMs", state.deadlineMs());
            node.set("attempts", MAPPER.valueToTree(state.attempts()));
            node.set("statuses", MAPPER.valueToTree(state.statuses()));
            node.put("closed", state.closed());
            node.put("closedAtMs", state.closedAtMs());
            node.put("deadlineReached", state.deadlineReached());
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new SerializationException("Writing the state of round " + state.round() + " of request "
                    + state.plan().requestId() + " failed", e);
        }
    }

    @Override
    public RoundState deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(payload);
            RoundOpened plan = WireJson.ROUND_OPENED.fromBytes(MAPPER.writeValueAsBytes(required(node, "plan")));
            return new RoundState(plan,
                    required(node, "retryTimeoutMs").asLong(),
                    required(node, "deadlineMs").asLong(),
                    MAPPER.convertValue(required(node, "attempts"), ATTEMPTS),
                    MAPPER.convertValue(required(node, "statuses"), STATUSES),
                    required(node, "closed").asBoolean(),
                    node.path("closedAtMs").asLong(0),
                    required(node, "deadlineReached").asBoolean());
        } catch (IOException | WireFormatException | IllegalArgumentException e) {
            throw new SerializationException("Reading a round state from topic " + topic + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new SerializationException("Reading a round state failed: field " + field + " is missing");
        }
        return value;
    }

    @Override
    public Serializer<RoundState> serializer() {
        return this;
    }

    @Override
    public Deserializer<RoundState> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the format is fixed.
    }

    @Override
    public void close() {
        // Nothing to release: the mapper holds no resources.
    }
}
