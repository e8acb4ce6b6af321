package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.WireCodec;
import dev.quantfleet.common.messages.WireMessage;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * Kafka serde of one message type over its {@link WireCodec}. A null value stays null in both
 * directions, so that tombstones pass through. Reading a malformed payload throws the codec's
 * {@code WireFormatException}.
 *
 * @param <T> the message type
 */
public final class WireSerde<T extends WireMessage> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final WireCodec<T> codec;

    public WireSerde(WireCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public byte[] serialize(String topic, T message) {
        return message == null ? null : codec.toBytes(message);
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        return payload == null ? null : codec.fromBytes(payload);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the format is fixed.
    }

    @Override
    public void close() {
        // Nothing to release: the codec holds no resources.
    }
}
