package dev.quantfleet.common.messages;

/**
 * Writes and reads one message type with {@link WireJson}; what a Kafka serializer and
 * deserializer in the services delegate to.
 *
 * @param <T> the message type
 */
public final class WireCodec<T extends WireMessage> {

    private final Class<T> type;

    public WireCodec(Class<T> type) {
        this.type = type;
    }

    public Class<T> type() {
        return type;
    }

    public byte[] toBytes(T message) {
        return WireJson.toBytes(message);
    }

    /** Reads a {@code T}; see {@link WireJson#fromBytes} for the errors. */
    public T fromBytes(byte[] payload) {
        return WireJson.fromBytes(payload, type);
    }
}
