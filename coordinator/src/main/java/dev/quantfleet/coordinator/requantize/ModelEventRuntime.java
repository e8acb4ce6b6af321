package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import dev.quantfleet.coordinator.kafka.KafkaClientProperties;
import dev.quantfleet.coordinator.kafka.KafkaFleetPublisher;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The running re-quantization: a {@link ModelEventLoop} on its own thread and the producer of its
 * requests. It runs beside the coordinator's own loop, which runs the requests it sends like any
 * other. The topics must exist before it starts; the coordinator creates them.
 */
public final class ModelEventRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEventRuntime.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final ModelEventLoop loop;
    private final Thread thread;

    private ModelEventRuntime(Producer<String, byte[]> producer, ModelEventLoop loop) {
        this.producer = producer;
        this.loop = loop;
        this.thread = new Thread(loop, "quantfleet-model-events");
    }

    /**
     * Starts the loop, which first reads the requests and outcomes so far.
     *
     * @param store   the artifact store that bucket notifications' objects are copied into
     * @param workDir folder of the temporary copies made while hashing those objects
     */
    public static ModelEventRuntime start(String bootstrapServers, ArtifactStore store, Path workDir,
                                          ModelEventConfig config) {
        return start(KafkaClientProperties.of(bootstrapServers), store, workDir, config);
    }

    /** As {@link #start(String, ArtifactStore, Path, ModelEventConfig)} with every Kafka client setting. */
    public static ModelEventRuntime start(Map<String, Object> clientProperties, ArtifactStore store, Path workDir,
                                          ModelEventConfig config) {
        Producer<String, byte[]> producer = new KafkaProducer<>(CoordinatorLoop.producerProperties(clientProperties));
        KafkaFleetPublisher publisher = new KafkaFleetPublisher(producer);
        RequestHistory history = new RequestHistory();
        Requantizer requantizer = new Requantizer(history, new StoreModelImporter(store, workDir),
                request -> publisher.publishRequest(request.requestId(), WireJson.toBytes(request)),
                System::currentTimeMillis);
        ModelEventLoop loop = new ModelEventLoop(
                new KafkaConsumer<>(CoordinatorLoop.consumerProperties(clientProperties)),
                new KafkaConsumer<>(ModelEventLoop.eventConsumerProperties(clientProperties, config.consumerGroup())),
                new ModelEventReader(config), history, requantizer, POLL_TIMEOUT);
        ModelEventRuntime runtime = new ModelEventRuntime(producer, loop);
        runtime.thread.setUncaughtExceptionHandler((thread, e) -> LOG.error("The model event loop died", e));
        runtime.thread.start();
        LOG.info("Re-quantization on model events started: bucket {}, models prefix '{}'", config.bucket(),
                config.modelsPrefix());
        return runtime;
    }

    /** Returns whether the loop runs and has read the history up to the end offsets of its start. */
    public boolean ready() {
        return thread.isAlive() && loop.ready();
    }

    /** Stops the loop, waiting up to 30 s for the record in hand, and closes the producer. */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for the model event loop to stop");
        }
        producer.close(STOP_TIMEOUT);
    }
}
