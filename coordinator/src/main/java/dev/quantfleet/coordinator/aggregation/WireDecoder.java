package dev.quantfleet.coordinator.aggregation;

import dev.quantfleet.common.messages.WireCodec;
import dev.quantfleet.common.messages.WireFormatException;
import dev.quantfleet.common.messages.WireMessage;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the raw payload of an input record as one message type and forwards the message. A
 * payload that the codec rejects, or a null value, is logged with its topic, partition and offset,
 * counted and dropped, so that one bad record never stops the stream.
 *
 * @param <T> the message type
 */
final class WireDecoder<T extends WireMessage> implements Processor<String, byte[], String, WireMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(WireDecoder.class);

    private final WireCodec<T> codec;
    private final AggregatorCounters counters;
    private ProcessorContext<String, WireMessage> context;

    WireDecoder(WireCodec<T> codec, AggregatorCounters counters) {
        this.codec = codec;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, WireMessage> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            counters.countMalformedPayload();
            LOG.warn("Skipped a record without a value at {} (key {}); expected a {}", position(), record.key(),
                    codec.type().getSimpleName());
            return;
        }
        T message;
        try {
            message = codec.fromBytes(record.value());
        } catch (WireFormatException e) {
            counters.countMalformedPayload();
            LOG.warn("Skipped a malformed record at {} (key {}): {}", position(), record.key(), e.getMessage());
            return;
        }
        context.forward(record.withValue(message));
    }

    private String position() {
        return context.recordMetadata()
                .map(WireDecoder::describe)
                .orElse("an unknown position");
    }

    private static String describe(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }
}
